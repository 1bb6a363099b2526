/* The CEB message model as data: every message type is a tree of definitions (groups of
 * child elements, records of simple fields) that the parser, validator and writer walk.
 * Adding a message type is adding a table (schema_import.c / schema_export.c). */
#ifndef CEB_SCHEMA_H
#define CEB_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "ceb/fields.h"

#define CEB_NS "http://www.chinaport.gov.cn/ceb"
#define CEB_DSIG_NS "http://www.w3.org/2000/09/xmldsig#"

enum ceb_type {
	CEB_T_STR, /* xs:string with length facets */
	CEB_T_DEC, /* xs:decimal with totalDigits / fractionDigits */
	CEB_T_INT, /* xs:int, optionally with totalDigits */
	CEB_T_ANY, /* any well-formed XML, kept verbatim (ExtendMessage/Message) */
};

/* What a field means beyond its schema type: each maps to a checked rule (validate.c). */
enum ceb_fmt {
	CEB_FMT_NONE,
	CEB_FMT_GUID,      /* F-02 upper-case UUID */
	CEB_FMT_APPTYPE,   /* 1 new, 2 change, 3 delete */
	CEB_FMT_APPSTATUS, /* 1 save, 2 declare */
	CEB_FMT_TIME14,    /* F-04 YYYYMMDDhhmmss */
	CEB_FMT_DATE8,     /* F-04 YYYYMMDD */
	CEB_FMT_TIME17,    /* F-04 YYYYMMDDhhmmssSSS */
	CEB_FMT_CURRENCY,  /* I-10 customs currency code */
	CEB_FMT_COUNTRY,   /* I-10 customs country code */
	CEB_FMT_UNIT,      /* I-10 unit code */
	CEB_FMT_CUSTOMS,   /* I-09 customs district code */
	CEB_FMT_HS,        /* I-11 10-digit HS code */
	CEB_FMT_DISTRICT,  /* I-15 6-digit administrative division */
	CEB_FMT_IDTYPE,    /* I-02 ID type 1 */
	CEB_FMT_IDNUMBER,  /* I-02 resident ID with GB 11643 check digit */
	CEB_FMT_IEFLAG,    /* I-03 / E-02 I or E by side */
	CEB_FMT_ORDERTYPE, /* I-03 / E-01 */
	CEB_FMT_TRADEMODE, /* I-06 / E-02 */
	CEB_FMT_STATFLAG,  /* E-03 A or B */
	CEB_FMT_FEEFLAG,   /* E-04 1, 2 or 3 */
	CEB_FMT_LOGSTATUS, /* I-05 S */
	CEB_FMT_DXPMODE,   /* F-06 DXP */
	CEB_FMT_RETSTATUS, /* receipt status code */
	CEB_FMT_TRAFMODE,  /* transport mode code */
	CEB_FMT_WRAPTYPE,  /* packing type code */
};

struct ceb_field {
	const char *name; /* element local name */
	const char *zh;   /* Chinese name for messages */
	uint8_t type;     /* enum ceb_type */
	uint8_t required; /* minOccurs 1: present and non-empty */
	uint16_t minlen, maxlen; /* characters; maxlen 0 = unbounded */
	uint8_t digits, frac;    /* decimal facets, 0 = none */
	uint8_t fmt;             /* enum ceb_fmt */
};

enum ceb_kind {
	CEB_K_GROUP,  /* sequence of child elements */
	CEB_K_RECORD, /* sequence of simple fields */
	CEB_K_SIG,    /* ds:Signature, kept verbatim and checked by sig.c */
};

struct ceb_def;

struct ceb_child {
	const struct ceb_def *def;
	uint16_t min, max; /* max 65535 = unbounded */
};

struct ceb_def {
	const char *name;
	uint8_t kind;
	const struct ceb_field *fields;
	uint16_t nfields;
	const struct ceb_child *kids;
	uint16_t nkids;
};

enum ceb_side { CEB_SIDE_IMPORT, CEB_SIDE_EXPORT };
enum ceb_role {
	CEB_ROLE_DECL,    /* declaration an enterprise sends */
	CEB_ROLE_RECEIPT, /* receipt answering a declaration */
	CEB_ROLE_CUSTOMS, /* document customs issues (tax bill, summary result, format receipt) */
};

struct ceb_msgtype {
	int code; /* 311 for CEB311Message */
	const char *root;
	uint8_t side, role;
	const char *zh, *en;
	const struct ceb_def *def;
};

#define CEB_FIELD_ROW(tag, nm, zh, ty, req, mn, mx, dg, fr, fm)                                    \
	{#nm, zh, CEB_T_##ty, req, mn, mx, dg, fr, CEB_FMT_##fm},
#define CEB_FIELD_ENUM(tag, nm, ...) tag##_##nm,

/* Field indexes of every record, e.g. IIH_orderNo for InventoryHead/orderNo (import). */
#define CEB_RECORDS(R)                                                                             \
	R(IOH) R(IOL) R(IOR) R(IPH) R(IPR) R(ILH) R(ILR) R(ILS) R(ILSR) R(IIH) R(IIL) R(IIR)     \
	R(ICA) R(ICAR) R(IRH) R(IRL) R(IRR) R(IDH) R(IDL) R(IDR) R(ITH) R(ITL) R(ITS) R(IMR)      \
	R(IBT) R(EBT) R(BS) R(EXT) R(EOH) R(EOL) R(EOR) R(ERC) R(ERCR) R(ELG) R(ELGR) R(EAH)     \
	R(EAL) R(EAR) R(EDH) R(EDL) R(EDR) R(EIH) R(EIL) R(EIR) R(ECA) R(ECAR) R(EWH) R(EWL)      \
	R(EWR) R(ESH) R(ESL) R(ESR) R(EUH) R(EUL) R(EFH) R(EFL) R(EFD) R(EFDR) R(EFR)

#define CEB_DECLARE_RECORD(tag)                                                                    \
	enum { CEB_FIELDS_##tag(CEB_FIELD_ENUM) tag##__N };                                        \
	extern const struct ceb_def ceb_def_##tag;
CEB_RECORDS(CEB_DECLARE_RECORD)
#undef CEB_DECLARE_RECORD

extern const struct ceb_def ceb_def_SIG;

extern const struct ceb_msgtype ceb_msgtypes_import[];
extern const size_t ceb_nmsgtypes_import;
extern const struct ceb_msgtype ceb_msgtypes_export[];
extern const size_t ceb_nmsgtypes_export;

/* Message type by root element name ("CEB621Message") or by code (621); NULL if unknown. */
const struct ceb_msgtype *ceb_msgtype_by_root(const char *root, size_t n);
const struct ceb_msgtype *ceb_msgtype_by_code(int code);
/* Iterate all message types: i from 0 while the result is not NULL. */
const struct ceb_msgtype *ceb_msgtype_at(size_t i);

/* Index of a child definition / field by name, or -1. */
int ceb_def_kid(const struct ceb_def *d, const char *name, size_t n);
int ceb_def_field(const struct ceb_def *d, const char *name, size_t n);

#endif
