/* Definitions shared by both sides and look-ups over the message tables. */
#include "ceb/schema.h"

#include <string.h>

static const struct ceb_field f_BS[] = {CEB_FIELDS_BS(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_BS = {"BaseSubscribe", CEB_K_RECORD, f_BS, BS__N, NULL, 0};
static const struct ceb_field f_EXT[] = {CEB_FIELDS_EXT(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EXT = {"ExtendMessage", CEB_K_RECORD, f_EXT, EXT__N, NULL, 0};
const struct ceb_def ceb_def_SIG = {"Signature", CEB_K_SIG, NULL, 0, NULL, 0};

const struct ceb_msgtype *ceb_msgtype_at(size_t i)
{
	if (i < ceb_nmsgtypes_import)
		return &ceb_msgtypes_import[i];
	i -= ceb_nmsgtypes_import;
	if (i < ceb_nmsgtypes_export)
		return &ceb_msgtypes_export[i];
	return NULL;
}

const struct ceb_msgtype *ceb_msgtype_by_root(const char *root, size_t n)
{
	const struct ceb_msgtype *t;
	for (size_t i = 0; (t = ceb_msgtype_at(i)); i++)
		if (strlen(t->root) == n && memcmp(t->root, root, n) == 0)
			return t;
	return NULL;
}

const struct ceb_msgtype *ceb_msgtype_by_code(int code)
{
	const struct ceb_msgtype *t;
	for (size_t i = 0; (t = ceb_msgtype_at(i)); i++)
		if (t->code == code)
			return t;
	return NULL;
}

int ceb_def_kid(const struct ceb_def *d, const char *name, size_t n)
{
	for (int i = 0; i < d->nkids; i++) {
		const char *k = d->kids[i].def->name;
		if (strlen(k) == n && memcmp(k, name, n) == 0)
			return i;
	}
	return -1;
}

int ceb_def_field(const struct ceb_def *d, const char *name, size_t n)
{
	for (int i = 0; i < d->nfields; i++) {
		const char *k = d->fields[i].name;
		if (strlen(k) == n && memcmp(k, name, n) == 0)
			return i;
	}
	return -1;
}
