/* Error codes of libcbec. Functions return 0 or a negative CBEC_E… code; business findings
 * about a message are not errors (see ceb/finding.h). */
#ifndef CBEC_ERR_H
#define CBEC_ERR_H

enum {
	CBEC_OK = 0,
	CBEC_ENOMEM = -1,  /* out of memory */
	CBEC_EIO = -2,     /* read or write failed */
	CBEC_EINVAL = -3,  /* invalid argument */
	CBEC_ETOOBIG = -4, /* input over a configured limit */
	CBEC_EPARSE = -5,  /* input is not what it should be */
	CBEC_ECRYPTO = -6, /* a key, certificate or signature operation failed */
	CBEC_ENOTFOUND = -7,
	CBEC_EEXIST = -8,
	CBEC_EBUSY = -9,
	CBEC_ESTORE = -10, /* the store failed */
};

const char *cbec_strerror(int err);

#endif
