#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include "cdtls_internal.h"

/// Seconds in a day: the certificate is back-dated by one so peers with a slow clock still accept it.
static const long seconds_per_day = 86400;

/// A random 64-bit serial (RFC 5280 §4.1.2.2 wants it unique per issuer; every certificate is its own issuer).
static int cdtls_set_random_serial(X509 *x509) {
    BIGNUM *serial = BN_new();
    int ok = serial != NULL && BN_rand(serial, 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
             BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x509)) != NULL;
    BN_free(serial);
    return ok;
}

cdtls_certificate *cdtls_certificate_generate(const char *common_name, int validity_days, char *error,
                                              size_t error_capacity) {
    ERR_clear_error();
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *x509 = X509_new();
    cdtls_certificate *certificate = calloc(1, sizeof *certificate);
    if (key == NULL || x509 == NULL || certificate == NULL) goto failed;

    X509_NAME *name = X509_get_subject_name(x509);
    int ok = X509_set_version(x509, X509_VERSION_3) == 1 && cdtls_set_random_serial(x509) &&
             X509_gmtime_adj(X509_getm_notBefore(x509), -seconds_per_day) != NULL &&
             X509_gmtime_adj(X509_getm_notAfter(x509), (long)validity_days * seconds_per_day) != NULL &&
             X509_set_pubkey(x509, key) == 1 &&
             X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0) ==
                 1 &&
             X509_set_issuer_name(x509, name) == 1 && X509_sign(x509, key, EVP_sha256()) > 0;
    if (!ok) goto failed;

    certificate->x509 = x509;
    certificate->key = key;
    return certificate;

failed:
    cdtls_describe_errors("certificate generation failed", error, error_capacity);
    EVP_PKEY_free(key);
    X509_free(x509);
    free(certificate);
    return NULL;
}

void cdtls_certificate_free(cdtls_certificate *certificate) {
    if (certificate == NULL) return;
    X509_free(certificate->x509);
    EVP_PKEY_free(certificate->key);
    free(certificate);
}

int cdtls_certificate_sha256(const cdtls_certificate *certificate, uint8_t *digest) {
    unsigned int length = 0;
    return X509_digest(certificate->x509, EVP_sha256(), digest, &length) == 1 && length == CDTLS_SHA256_LENGTH;
}
