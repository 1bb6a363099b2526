#include "base/err.h"

const char *cbec_strerror(int err)
{
	switch (err) {
	case CBEC_OK: return "success";
	case CBEC_ENOMEM: return "out of memory";
	case CBEC_EIO: return "input/output error";
	case CBEC_EINVAL: return "invalid argument";
	case CBEC_ETOOBIG: return "input over the configured limit";
	case CBEC_EPARSE: return "malformed input";
	case CBEC_ECRYPTO: return "key, certificate or signature operation failed";
	case CBEC_ENOTFOUND: return "not found";
	case CBEC_EEXIST: return "already exists";
	case CBEC_EBUSY: return "busy";
	case CBEC_ESTORE: return "store failure";
	}
	return "unknown error";
}
