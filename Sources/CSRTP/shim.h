// libsrtp2 as Swift sees it (Debian's libsrtp2-dev; its crypto backend is NSS, not OpenSSL).
#include <srtp2/srtp.h>
