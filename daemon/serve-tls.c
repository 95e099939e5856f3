/* SPDX-License-Identifier: MIT */
/*
 * Why a --tls-cert/--tls-key pair does not load, in GnuTLS's own words.
 *
 * Twelfth pass, left open: a pair libmicrohttpd refused (a certificate file
 * that is not PEM, the key of another certificate) was "the server does not
 * start (are the certificate and key a matching PEM pair?)": a question, not
 * the cause; libmicrohttpd 0.9.75 loads the pair with GnuTLS's
 * gnutls_certificate_set_x509_key_mem and only says that it failed. The same
 * call is made here first, on the same bytes, so the answer is the one
 * libmicrohttpd would get (nothing it takes is refused here); when it fails,
 * each file is read alone to say which one is at fault. GnuTLS is the one
 * libmicrohttpd.so.12 already loaded (serve-mhd.c), found by its soname.
 */
#include <dlfcn.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <string.h>

#include "serve.h"

struct tls_fns {
	__typeof__(&gnutls_certificate_allocate_credentials) alloc;
	__typeof__(&gnutls_certificate_free_credentials) free_cred;
	__typeof__(&gnutls_certificate_set_x509_key_mem) set_key_mem;
	__typeof__(&gnutls_x509_crt_list_import2) crt_import;
	__typeof__(&gnutls_x509_crt_deinit) crt_deinit;
	__typeof__(&gnutls_x509_crt_init) crt_init;
	__typeof__(&gnutls_x509_crt_import) crt_import1;
	__typeof__(&gnutls_x509_privkey_init) key_init;
	__typeof__(&gnutls_x509_privkey_import2) key_import;
	__typeof__(&gnutls_x509_privkey_deinit) key_deinit;
	__typeof__(&gnutls_strerror) strerror;
	gnutls_free_function *gfree; /* gnutls_free is a variable holding the function */
};

static bool tls_load(struct tls_fns *t)
{
	static const char *const names[] = {
	    "gnutls_certificate_allocate_credentials",
	    "gnutls_certificate_free_credentials",
	    "gnutls_certificate_set_x509_key_mem",
	    "gnutls_x509_crt_list_import2",
	    "gnutls_x509_crt_deinit",
	    "gnutls_x509_crt_init",
	    "gnutls_x509_crt_import",
	    "gnutls_x509_privkey_init",
	    "gnutls_x509_privkey_import2",
	    "gnutls_x509_privkey_deinit",
	    "gnutls_strerror",
	    "gnutls_free",
	};
	void *h = dlopen("libgnutls.so.30", RTLD_NOW | RTLD_LOCAL);
	void **slot = (void **)t;

	if (!h)
		return false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!(slot[i] = dlsym(h, names[i])))
			return false;
	return true;
}

/* The certificate file alone: at least one PEM certificate GnuTLS reads. */
static int cert_alone(const struct tls_fns *t, const gnutls_datum_t *d)
{
	gnutls_x509_crt_t *crts = NULL;
	unsigned n = 0;
	int r = t->crt_import(&crts, &n, d, GNUTLS_X509_FMT_PEM, 0);

	for (unsigned i = 0; r >= 0 && i < n; i++)
		t->crt_deinit(crts[i]);
	if (crts)
		(*t->gfree)((void *)crts);
	return r < 0 ? r : 0;
}

/* Does the file's first PEM certificate read (a later one of the chain is
 * then the one at fault)? */
static bool first_cert_reads(const struct tls_fns *t, const gnutls_datum_t *d)
{
	gnutls_x509_crt_t crt;
	int r;

	if (t->crt_init(&crt) < 0)
		return false;
	r = t->crt_import1(crt, d, GNUTLS_X509_FMT_PEM);
	t->crt_deinit(crt);
	return r >= 0;
}

static int key_alone(const struct tls_fns *t, const gnutls_datum_t *d)
{
	gnutls_x509_privkey_t k;
	int r = t->key_init(&k);

	if (r < 0)
		return r;
	r = t->key_import(k, d, GNUTLS_X509_FMT_PEM, NULL, 0);
	t->key_deinit(k);
	return r;
}

int serve_tls_check(const char *cert_path, const char *cert, const char *key_path, const char *key,
		    char *why, size_t len)
{
	struct tls_fns t;
	gnutls_certificate_credentials_t cred;
	gnutls_datum_t c = {(unsigned char *)cert, (unsigned)strlen(cert)};
	gnutls_datum_t k = {(unsigned char *)key, (unsigned)strlen(key)};
	int r;

	if (!tls_load(&t))
		return 0; /* libmicrohttpd will say it does not start */
	if (t.alloc(&cred) < 0)
		return 0;
	r = t.set_key_mem(cred, &c, &k, GNUTLS_X509_FMT_PEM);
	t.free_cred(cred);
	if (r >= 0)
		return 0;
	if ((r = cert_alone(&t, &c)) < 0) {
		/* Thirteenth pass, second round: a chain whose first certificate
		 * reads was "no PEM certificate read". */
		snprintf(why, len, "--tls-cert %s: %s (%s)", cert_path,
			 first_cert_reads(&t, &c)
			     ? "the first certificate reads, a later one of the chain does not"
			     : "no PEM certificate read",
			 t.strerror(r));
		return -1;
	}
	if ((r = key_alone(&t, &k)) < 0) {
		snprintf(why, len, "--tls-key %s: no PEM private key read (%s)", key_path,
			 t.strerror(r));
		return -2;
	}
	snprintf(why, len, "--tls-key %s and --tls-cert %s do not load as a pair (out of memory)",
		 key_path, cert_path);
	if ((r = t.alloc(&cred)) >= 0) {
		r = t.set_key_mem(cred, &c, &k, GNUTLS_X509_FMT_PEM);
		t.free_cred(cred);
		if (r == GNUTLS_E_CERTIFICATE_KEY_MISMATCH)
			snprintf(why, len, "--tls-key %s is not the private key of --tls-cert %s",
				 key_path, cert_path);
		else
			snprintf(why, len,
				 "--tls-key %s and --tls-cert %s do not load as a pair (%s)",
				 key_path, cert_path, t.strerror(r));
	}
	return -3;
}
