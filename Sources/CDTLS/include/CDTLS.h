// OpenSSL 3 glue for DTLS-SRTP that Swift cannot express: macros, certificate generation, the verify
// callback. Filled in by the DTLS engine.
#pragma once
#include <openssl/ssl.h>
