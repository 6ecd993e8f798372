#include <openssl/err.h>
#include <stdio.h>
#include <string.h>

#include "cdtls_internal.h"

void cdtls_describe_errors(const char *what, char *error, size_t error_capacity) {
    if (error == NULL || error_capacity == 0) {
        ERR_clear_error();
        return;
    }
    snprintf(error, error_capacity, "%s", what);
    unsigned long code;
    // The queue is per thread and shared by every link on it, so it is always emptied here.
    while ((code = ERR_get_error()) != 0) {
        char line[256];
        ERR_error_string_n(code, line, sizeof line);
        size_t used = strlen(error);
        if (used + 2 < error_capacity) {
            snprintf(error + used, error_capacity - used, ": %s", line);
        }
    }
}
