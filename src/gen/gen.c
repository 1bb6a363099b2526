/* Workload generator (gen.h).
 *
 * How it is built:
 * - Every order is a pure function of (options, order index): its random choices come from
 *   a PRNG seeded with hash(seed, index), so a block can be built, and a follow-up rebuilt
 *   at the end, without replaying earlier orders.
 * - Orders are taken `window` at a time (a block): their messages are written with the
 *   model (ceb_msg_new/ceb_node_add) and the writer into one byte buffer, shuffled, given
 *   their resends, then their expected outcomes -- the annual quota in the order in which
 *   lists become complete in the stream -- and handed out one by one.
 * - Randomness is xoshiro256** seeded by splitmix64; skew (prices, popularity, buyers) uses
 *   integer arithmetic only, so output is the same everywhere. */
#include "gen/gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "ceb/codes.h"
#include "ceb/dec.h"
#include "ceb/model.h"
#include "ceb/rules.h"
#include "ceb/schema.h"
#include "ceb/validate.h"
#include "ceb/write.h"
#include "clear/tariff.h"
#include "clear/tax.h"

#define CNY(x) ((int64_t)(x)*DEC_SCALE)
#define CENTS(x) ((int64_t)(x) * (DEC_SCALE / 100))
#define MAX_LINES 8

const int gen_type_code[GEN_T__N] = {311, 411, 511, 621, 303, 505, 603, 623, 625};

/* ---- randomness ---- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint64_t hash2(uint64_t a, uint64_t b)
{
	uint64_t s = a ^ (b * 0xD1B54A32D192ED03ULL);
	return splitmix(&s);
}

struct rng {
	uint64_t s[4];
};

static void rng_init(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_u64(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

static uint32_t rng_u32(struct rng *r)
{
	return (uint32_t)(rng_u64(r) >> 32);
}

/* 0 .. n-1 (multiply-shift; the bias is below 2^-32 per value). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((uint64_t)rng_u32(r) * n) >> 32);
}

static uint32_t rng_range(struct rng *r, uint32_t lo, uint32_t hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

static bool rng_bp(struct rng *r, uint32_t bp)
{
	return rng_below(r, 10000) < bp;
}

static size_t rng_pick(struct rng *r, const uint16_t *w, size_t n)
{
	uint32_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	uint32_t x = rng_below(r, total);
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* floor(sqrt(x)) */
static uint64_t isqrt64(uint64_t x)
{
	uint64_t r = 0, bit = 1ULL << 62;
	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/* An index 0..n-1 with density falling as x^(-1/3) (u^1.5): a few buyers buy a lot. */
static uint64_t skew15(uint32_t u, uint64_t n)
{
	uint64_t s = isqrt64((uint64_t)u << 32); /* sqrt(u) in 1/2^32 */
	uint64_t t = ((uint64_t)u * s) >> 32;    /* u^1.5 in 1/2^32 */
	return (t * n) >> 32;
}

/* An index 0..n-1 with density falling as x^(-1/2) (u^2): bestsellers. */
static uint32_t skew2(uint32_t u, uint32_t n)
{
	uint64_t t = ((uint64_t)u * u) >> 32;
	return (uint32_t)((t * n) >> 32);
}

/* Stream keys: each kind of choice draws from its own stream. */
enum { K_ORDER, K_DOCS, K_BUYER, K_BLOCK, K_SKU, K_FOLLOW, K_STOCK, K__N };

/* ---- enterprises: code (customs code: area 3301, zone, nature, sequence), name, tag
 * (number prefix, brand or account book), weight, country of the goods ---- */

struct ent {
	const char *code, *name, *tag;
	uint16_t weight;
	const char *country;
};

#define IMPORT_EBP(X)                                                                              \
	X("3301960001", "杭州云购跨境电子商务有限公司", "YG", 40, "")                              \
	X("3301960002", "浙江海淘优选网络科技有限公司", "HT", 30, "")                              \
	X("3301960003", "杭州星播直播电商有限公司", "XB", 20, "")                                  \
	X("3301960004", "全球甄选（杭州）电子商务有限公司", "QQ", 10, "")
#define IMPORT_EBC(X)                                                                              \
	X("3301940101", "花漾日本美妆海外旗舰店", "花漾", 14, "116")                               \
	X("3301940102", "肌研韩国美妆直营店", "肌研", 12, "133")                                   \
	X("3301940103", "澳健营养品海外专营店", "澳健", 11, "601")                                 \
	X("3301940104", "纽牧新西兰乳品旗舰店", "纽牧", 10, "609")                                 \
	X("3301940105", "德宝德国母婴海外旗舰店", "德宝", 9, "304")                                \
	X("3301940106", "香颂法国美妆海外专营店", "香颂", 8, "305")                                \
	X("3301940107", "美维美国保健海外旗舰店", "美维", 8, "502")                                \
	X("3301940108", "米兰意大利时尚海外店", "米兰", 6, "307")                                  \
	X("3301940109", "荷乳荷兰婴童食品旗舰店", "荷乳", 6, "309")                                \
	X("3301940110", "英伦个护海外专营店", "英伦", 5, "303")                                    \
	X("3301940111", "泰鲜泰国零食海外旗舰店", "泰鲜", 5, "136")                                \
	X("3301940112", "狮城新加坡海外购专营店", "狮城", 4, "132")                                \
	X("3301940113", "港优香港环球优品店", "港优", 4, "110")                                    \
	X("3301940114", "枫叶加拿大户外海外旗舰店", "枫叶", 3, "501")
#define IMPORT_PAY(X)                                                                              \
	X("3301960201", "杭州云付支付服务有限公司", "YF", 50, "")                                  \
	X("3301960202", "浙江通汇跨境支付有限公司", "TH", 30, "")                                  \
	X("3301960203", "全球付网络支付（杭州）有限公司", "QF", 20, "")
#define IMPORT_LOG(X)                                                                              \
	X("3301960301", "杭州迅达国际物流有限公司", "XD", 35, "")                                  \
	X("3301960302", "浙江顺捷供应链管理有限公司", "SJ", 30, "")                                \
	X("3301960303", "环宇跨境速递（杭州）有限公司", "HY", 20, "")                              \
	X("3301960304", "杭州鸿运快递服务有限公司", "HO", 15, "")
#define IMPORT_AGENT(X)                                                                            \
	X("3301980401", "杭州关通报关服务有限公司", "GT", 1, "")                                   \
	X("3301980402", "浙江易通关报关有限公司", "YT", 1, "")                                     \
	X("3301980403", "杭州保税通供应链管理有限公司", "BS", 1, "")
#define IMPORT_AREA(X)                                                                             \
	X("3301660501", "杭州综保区示范保税仓储有限公司", "T2909W000001", 1, "")                   \
	X("3301660502", "下沙云仓保税物流有限公司", "T2909W000002", 1, "")
#define EXPORT_EBP(X)                                                                              \
	X("3301960601", "杭州出海优品跨境电商平台有限公司", "CH", 60, "")                          \
	X("3301960602", "浙江丝路云商网络科技有限公司", "SL", 40, "")
#define EXPORT_EBC(X)                                                                              \
	X("3301960701", "杭州锦绣服饰进出口有限公司", "锦绣", 30, "142")                           \
	X("3301960702", "义乌小商品跨境贸易有限公司", "义货", 25, "142")                           \
	X("3301960703", "杭州智联电子科技有限公司", "智联", 20, "142")                             \
	X("3301960704", "宁波家居用品出口有限公司", "甬居", 15, "142")                             \
	X("3301960705", "杭州户外运动用品有限公司", "行野", 10, "142")
#define EXPORT_LOG(X)                                                                              \
	X("3301960801", "杭州环球国际快递有限公司", "GX", 60, "")                                  \
	X("3301960802", "浙江海空联运物流有限公司", "HK", 40, "")
#define EXPORT_AGENT(X)                                                                            \
	X("3301980901", "杭州出口通报关服务有限公司", "CK", 1, "")                                 \
	X("3301980902", "浙江跨境报关服务有限公司", "KJ", 1, "")

#define ENT_ROW(c, n, t, w, k) {c, n, t, w, k},
static const struct ent k_iebp[] = {IMPORT_EBP(ENT_ROW)};
static const struct ent k_iebc[] = {IMPORT_EBC(ENT_ROW)};
static const struct ent k_ipay[] = {IMPORT_PAY(ENT_ROW)};
static const struct ent k_ilog[] = {IMPORT_LOG(ENT_ROW)};
static const struct ent k_iagent[] = {IMPORT_AGENT(ENT_ROW)};
static const struct ent k_iarea[] = {IMPORT_AREA(ENT_ROW)};
static const struct ent k_eebp[] = {EXPORT_EBP(ENT_ROW)};
static const struct ent k_eebc[] = {EXPORT_EBC(ENT_ROW)};
static const struct ent k_elog[] = {EXPORT_LOG(ENT_ROW)};
static const struct ent k_eagent[] = {EXPORT_AGENT(ENT_ROW)};

#define P_IEBP(c, n, t, w, k) {c, n, "ebp", "import", true},
#define P_IEBC(c, n, t, w, k) {c, n, "ebc", "import", false},
#define P_IPAY(c, n, t, w, k) {c, n, "pay", "import", true},
#define P_ILOG(c, n, t, w, k) {c, n, "logistics", "import", true},
#define P_IAGENT(c, n, t, w, k) {c, n, "agent", "import", true},
#define P_IAREA(c, n, t, w, k) {c, n, "area", "import", true}, /* sends stock-in */
#define P_EEBP(c, n, t, w, k) {c, n, "ebp", "export", true},
#define P_EEBC(c, n, t, w, k) {c, n, "ebc", "export", false},
#define P_ELOG(c, n, t, w, k) {c, n, "logistics", "export", true},
#define P_EAGENT(c, n, t, w, k) {c, n, "agent", "export", true},
/* clang-format off */
static const struct gen_party k_parties[] = {
	IMPORT_EBP(P_IEBP) IMPORT_EBC(P_IEBC) IMPORT_PAY(P_IPAY) IMPORT_LOG(P_ILOG)
	IMPORT_AGENT(P_IAGENT) IMPORT_AREA(P_IAREA)
	EXPORT_EBP(P_EEBP) EXPORT_EBC(P_EEBC) EXPORT_LOG(P_ELOG) EXPORT_AGENT(P_EAGENT)
};
/* clang-format on */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const struct gen_party *gen_parties(size_t *n)
{
	*n = NELEM(k_parties);
	return k_parties;
}

/* The same weights as plain arrays, for rng_pick. */
#define W_ROW(c, n, t, w, k) w,
static const uint16_t k_w_iebp[] = {IMPORT_EBP(W_ROW)};
static const uint16_t k_w_iebc[] = {IMPORT_EBC(W_ROW)};
static const uint16_t k_w_ipay[] = {IMPORT_PAY(W_ROW)};
static const uint16_t k_w_ilog[] = {IMPORT_LOG(W_ROW)};
static const uint16_t k_w_eebp[] = {EXPORT_EBP(W_ROW)};
static const uint16_t k_w_eebc[] = {EXPORT_EBC(W_ROW)};
static const uint16_t k_w_elog[] = {EXPORT_LOG(W_ROW)};

/* ---- people and places (invented) ---- */

static const char *const k_surname[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                        "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
                                        "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
                                        "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡"};
static const char *const k_given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏", "飞", "婷",
    "雪", "琳", "晨", "宇", "浩", "欣", "怡", "佳", "嘉", "俊", "子", "梓", "涵", "睿", "博",
    "文", "思", "雨", "诗", "悦", "晓", "天", "一", "可", "若", "安", "宁", "晴", "泽", "航"};
static const struct {
	const char *code, *text;
} k_district[] = {
    {"330102", "浙江省杭州市上城区"}, {"330105", "浙江省杭州市拱墅区"},
    {"330106", "浙江省杭州市西湖区"}, {"330108", "浙江省杭州市滨江区"},
    {"330109", "浙江省杭州市萧山区"}, {"330110", "浙江省杭州市余杭区"},
    {"330212", "浙江省宁波市鄞州区"}, {"310104", "上海市徐汇区"},
    {"310115", "上海市浦东新区"},     {"110105", "北京市朝阳区"},
    {"110108", "北京市海淀区"},       {"440106", "广东省广州市天河区"},
    {"440305", "广东省深圳市南山区"}, {"320508", "江苏省苏州市姑苏区"},
    {"320106", "江苏省南京市鼓楼区"}, {"510107", "四川省成都市武侯区"},
    {"420106", "湖北省武汉市武昌区"}, {"500103", "重庆市渝中区"},
    {"610113", "陕西省西安市雁塔区"}, {"370212", "山东省青岛市崂山区"},
};
static const uint16_t k_w_district[] = {10, 10, 12, 10, 9, 11, 5, 5, 6, 5,
                                        4,  4,  4,  3,  3, 3,  2, 2, 2, 2};
static const char *const k_street[] = {
    "文三路", "学院路", "人民路", "中山路", "解放路", "建国路", "江南大道", "科技大道",
    "长江路", "和平路", "新华路", "东风路", "延安路", "滨河路", "湖滨路",   "春晓路"};
static const char *const k_mobile[] = {"138", "139", "137", "136", "135", "158", "159",
                                       "150", "151", "186", "187", "188", "177", "199",
                                       "189", "180", "131", "132", "133", "153"};

/* 9610 direct purchase arrives by air: flight, master air waybill prefix. */
static const struct {
	const char *flight, *awb;
} k_flight[] = {{"CX0632", "160"}, {"KE0805", "180"}, {"NH0929", "205"},
                {"QF0129", "081"}, {"LH0728", "020"}, {"SQ0830", "618"}};

/* Export destinations: country code and port of destination (POD). */
static const struct {
	const char *country, *pod;
} k_dest[] = {{"502", "USA"}, {"303", "GBR"}, {"304", "DEU"}, {"116", "JPN"},
              {"601", "AUS"}, {"501", "CAN"}, {"305", "FRA"}, {"132", "SGP"}};
static const uint16_t k_w_dest[] = {40, 12, 10, 8, 8, 8, 7, 7};
_Static_assert(NELEM(k_w_dest) == NELEM(k_dest), "a weight per destination");
_Static_assert(NELEM(k_w_district) == NELEM(k_district), "a weight per district");

/* GS1 prefixes of the goods' countries, for believable bar codes. */
static const struct {
	const char *country, *prefix;
} k_gs1[] = {{"116", "45"},  {"133", "880"}, {"601", "93"},  {"609", "94"}, {"304", "40"},
             {"305", "30"},  {"502", "07"},  {"307", "80"},  {"309", "87"}, {"303", "50"},
             {"136", "885"}, {"132", "888"}, {"110", "489"}, {"501", "06"}, {"142", "69"}};

static const uint16_t k_w_lines[] = {50, 28, 12, 6, 4}; /* 1..5 lines */
static const uint16_t k_w_qty[] = {70, 22, 8};          /* 1..3 pieces */
static const uint16_t k_w_elines[] = {70, 22, 8};       /* export 1..3 lines */
/* Orders per hour of the festival day: the midnight rush, the evening live streams. */
static const uint16_t k_w_hour[24] = {16, 9, 4, 2, 1, 1, 1, 2, 3,  4,  5, 5,
                                      5,  5, 5, 5, 5, 5, 5, 6, 10, 10, 8, 6};
static const uint16_t k_w_fault[GEN_F__N] = {0, 15, 15, 15, 15, 15, 15, 10};

/* The placeholder signature of the reference CEB621 (shared/domain/samples): the schema
 * requires ds:Signature; without a key it yields only the warning F-07.7. */
static const char k_signature[] =
    "<ds:Signature>\n"
    "    <ds:SignedInfo>\n"
    "      <ds:CanonicalizationMethod "
    "Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>\n"
    "      <ds:SignatureMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#rsa-sha1\"/>\n"
    "      <ds:Reference URI=\"\">\n"
    "        <ds:Transforms>\n"
    "          <ds:Transform "
    "Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\n"
    "        </ds:Transforms>\n"
    "        <ds:DigestMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"/>\n"
    "        <ds:DigestValue>RkFLRS1ESUdFU1QtUExBQ0VIT0xERVI=</ds:DigestValue>\n"
    "      </ds:Reference>\n"
    "    </ds:SignedInfo>\n"
    "    <ds:SignatureValue>RkFLRS1TSUdOQVRVUkUtUExBQ0VIT0xERVI=</ds:SignatureValue>\n"
    "    <ds:KeyInfo>\n"
    "      <ds:KeyName>TEST-CERT-0001</ds:KeyName>\n"
    "    </ds:KeyInfo>\n"
    "  </ds:Signature>";

/* ---- dates: days since 1970-01-01 <-> civil (H. Hinnant's algorithms) ---- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

/* Seconds since 1970 on the customs clock (Beijing time written as is) -> YYYYMMDDhhmmss. */
static void fmt_time14(int64_t t, char out[15])
{
	int y;
	unsigned m, d;
	int64_t day = t / 86400, s = t % 86400;
	civil_from_days(day, &y, &m, &d);
	char b[48];
	snprintf(b, sizeof b, "%04d%02u%02u%02u%02u%02u", y % 10000, m % 100, d % 100,
	         (unsigned)(s / 3600) % 100, (unsigned)(s / 60 % 60), (unsigned)(s % 60));
	memcpy(out, b, 14);
	out[14] = '\0';
}

static void fmt_date8(int64_t t, char out[9])
{
	char b[15];
	fmt_time14(t, b);
	memcpy(out, b, 8);
	out[8] = '\0';
}

/* ---- the goods catalogue ---- */

struct sku {
	const struct tariff_rate *rate;
	const char *item_no, *item_name, *gmodel, *barcode;
	const char *unit; /* declared unit */
	int64_t price;    /* CNY (import) or USD (export) per piece, 1e-5 */
	int64_t weight;   /* net kg (or litres) per piece, 1e-5 */
};

/* 2^(k/16) for k = 0..16, scaled by 1e6 */
static const uint32_t k_pow2[17] = {1000000, 1044274, 1090508, 1138789, 1189207, 1241858,
                                    1296840, 1354256, 1414214, 1476826, 1542211, 1610490,
                                    1681793, 1756252, 1834008, 1915207, 2000000};

/* A retail price in whole CNY, log-normal-like: log2 of it is a sum of four uniforms
 * (Irwin-Hall) around log2(150) with a spread of 1.3 -- mostly 20..800, a tail to ~3,400. */
static int64_t lognormal_cny(uint64_t h)
{
	int64_t z = 0;
	for (int i = 0; i < 4; i++)
		z += (int64_t)((h >> (16 * i)) & 0xFFFF);
	int64_t l = 29610 + (z - 131070) * 5325 / 37837; /* log2(price) in 1/4096 */
	if (l < 0)
		l = 0;
	int64_t e = l >> 12, f = l & 4095, k = f >> 8, rem = f & 255;
	int64_t mant = k_pow2[k] + ((int64_t)k_pow2[k + 1] - k_pow2[k]) * rem / 256;
	return (mant << e) / 1000000;
}

static bool weight_unit(const char *u)
{
	return !strcmp(u, "035") || !strcmp(u, "036") || !strcmp(u, "095");
}

/* Legal quantity of q pieces in unit u for goods of net weight w per piece. */
static int64_t legal_qty(const char *u, uint32_t q, int64_t w)
{
	if (!strcmp(u, "036"))
		return (int64_t)q * w * 1000;
	if (!strcmp(u, "035") || !strcmp(u, "095"))
		return (int64_t)q * w;
	return (int64_t)q * DEC_SCALE;
}

static const char *gs1_prefix(const char *country)
{
	for (size_t i = 0; i < NELEM(k_gs1); i++)
		if (!strcmp(k_gs1[i].country, country))
			return k_gs1[i].prefix;
	return "69";
}

/* A 13-digit EAN with its check digit. */
static void make_ean(uint64_t h, const char *prefix, char out[14])
{
	size_t n = strlen(prefix);
	memcpy(out, prefix, n);
	for (size_t i = n; i < 12; i++) {
		out[i] = (char)('0' + h % 10);
		h /= 10;
	}
	int sum = 0;
	for (int i = 0; i < 12; i++)
		sum += (out[i] - '0') * (i % 2 ? 3 : 1);
	out[12] = (char)('0' + (10 - sum % 10) % 10);
	out[13] = '\0';
}

struct seller_skus {
	uint32_t first, n;          /* range in gen.skus */
	uint32_t dear_first, ndear; /* range in gen.dear: price >= 600 CNY (L-01 orders) */
};

/* ---- orders ---- */

struct oline {
	const struct sku *sku;
	uint32_t q;           /* pieces */
	int64_t price, total; /* 1e-5 CNY, or USD for exports */
};

enum { D311, D411, D511, D621 };
enum { D303, D505, D603 };

struct order {
	uint64_t idx;
	bool exp, bonded, other_consignee;
	bool short_stock; /* 1210: line 1's own record holds half of what it takes (B-04) */
	uint8_t ebp, seller, pay, carrier, agent, area, dest, flight;
	uint8_t fault, fault_doc, ndocs;
	uint32_t fault_arg;
	uint32_t buyer;
	size_t n;
	struct oline l[MAX_LINES];
	int64_t goods, freight, discount, tax, paid, dutiable, net, gross;
	int64_t efreight; /* export: the carrier's freight in CNY */
	int64_t t, t_pay, t_doc[4];
	char order_no[32], pay_no[32], wb_no[32], cop_no[32];
	const char *expect[4];
};

struct buyer {
	char name[32], id[19], phone[12], reg[16], addr[160], district[7];
	char cname[32], cphone[12]; /* the consignee (usually the buyer) */
};

struct slot {
	uint32_t off, len;
	uint16_t ord;
	uint8_t doc;
	bool resend;
	uint8_t fault; /* enum gen_fault */
	int16_t type;
	const char *expect;
};

struct followup {
	uint64_t order;
	bool refund;
};

/* One stock-in of the current block (merged per record). */
struct stock {
	uint8_t area;
	char item[32];
	const struct sku *sku;
	const char *unit; /* the record's unit */
	int64_t qty;
};

struct gen {
	struct gen_opts o;
	const struct tariff *tariff;
	uint64_t key[K__N];
	uint64_t buyers;
	uint32_t fault_order_bp; /* chance of a fault per import order */
	int64_t day_start;       /* seconds at 00:00 of the festival day */
	char yymmdd[7];
	struct arena *keep; /* catalogue text: lives as long as the generator */
	struct arena *msg;  /* one message's model */
	struct sku *skus;
	uint32_t nskus;
	uint32_t *dear, ndear; /* import goods at 600 CNY or more */
	struct seller_skus iseller[NELEM(k_iebc)], eseller[NELEM(k_eebc)];
	bool have_dear;
	uint32_t *quota;   /* per buyer: counted dutiable value so far, in cents */
	uint16_t *norders; /* per buyer: import orders so far (saturating) */
	/* kid indexes of BaseTransfer and Signature per message type */
	int kid_bt[GEN_T__N], kid_sig[GEN_T__N];
	const struct ceb_msgtype *type[GEN_T__N];
	/* the current block */
	struct order *ord;
	size_t nord;
	struct slot *slots;
	size_t nslots, capslots, next_slot;
	struct buf bytes;
	uint64_t next_order, block, seq;
	/* follow-ups, recorded as lists complete, sent at the end */
	struct followup *fu;
	size_t nfu, capfu, next_fu;
	uint64_t fu_seq;
	struct order fu_ord;
	/* the current block's stock-ins */
	struct stock *stock;
	size_t nstock, capstock, next_stock;
	char entry[64];
	struct gen_stats st;
	int err;
};

void gen_opts_default(struct gen_opts *o)
{
	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->orders = 400000;
	o->faulty_bp = 200;
	o->resend_bp = 100;
	o->cancel_bp = 50;
	o->refund_bp = 30;
	o->export_bp = 1000;
	o->bonded_bp = 7000;
	o->short_bp = 50;
	o->window = 8;
	o->annual_limit = CNY(26000);
	o->single_limit = CNY(5000);
	memcpy(o->day, "20251111", 9);
}

int gen_opts_check(const struct gen_opts *o, char *err, size_t errlen)
{
	const char *why = NULL;
	if (o->orders < 1 || o->orders > 9999999999ULL)
		why = "orders must be 1 to 9,999,999,999";
	else if (o->buyers > UINT32_MAX)
		why = "buyers must be at most 4,294,967,295";
	else if (o->faulty_bp > 10000 || o->resend_bp > 10000 || o->export_bp > 10000 ||
	         o->bonded_bp > 10000 || o->short_bp > 10000)
		why = "a share is above 100 %";
	else if (o->cancel_bp + o->refund_bp > 10000)
		why = "cancellations and refunds together are above 100 %";
	else if (o->window < 1 || o->window > 4096)
		why = "window must be 1 to 4096 orders";
	else if (o->single_limit < CNY(4600))
		why = "single limit must be at least 4,600 CNY (the dearest goods plus freight)";
	else if (o->annual_limit < o->single_limit)
		why = "annual limit must not be below the single limit";
	else if (strnlen(o->day, sizeof o->day) != 8 || !ceb_datetime_ok(o->day, 8))
		why = "day must be a real date YYYYMMDD";
	if (!why)
		return 0;
	snprintf(err, errlen, "%s", why);
	return CBEC_EINVAL;
}

const char *gen_fault_rule(enum gen_fault f)
{
	static const enum ceb_rule_id rule[GEN_F__N] = {
	    0, R_PAID, R_GNUM, R_CURRENCY_CNY, R_M_BUYER, R_M_AMOUNT, R_XML_MALFORMED, R_L_SINGLE};
	return f > GEN_F_NONE && f < GEN_F__N ? ceb_rules[rule[f]].id : "";
}

/* ---- catalogue ---- */

static bool usable(const struct tariff_rate *r)
{
	if (r->ct_specific || strlen(r->hs) != 10)
		return false;
	if (!ceb_code_find(CEB_CODES_UNIT, r->unit1, strlen(r->unit1)))
		return false;
	return !r->unit2[0] || ceb_code_find(CEB_CODES_UNIT, r->unit2, strlen(r->unit2));
}

/* Goods a Chinese seller exports: plastics and rubber onward (HS chapters 39-96), no
 * jewellery (71). */
static bool exportable(const struct tariff_rate *r)
{
	int ch = (r->hs[0] - '0') * 10 + (r->hs[1] - '0');
	return ch >= 39 && ch != 71;
}

static int add_sku(struct gen *g, uint32_t *cap, const struct tariff_rate *r, const struct ent *s,
                   unsigned sidx, bool exp, size_t row)
{
	if (g->nskus == *cap) {
		uint32_t nc = *cap ? *cap * 2 : 1024;
		struct sku *p = realloc(g->skus, nc * sizeof *p);
		if (!p)
			return CBEC_ENOMEM;
		g->skus = p;
		*cap = nc;
	}
	uint64_t h = hash2(g->key[K_SKU], ((uint64_t)exp << 40) | ((uint64_t)sidx << 24) | row);
	struct sku *k = &g->skus[g->nskus];
	memset(k, 0, sizeof *k);
	k->rate = r;
	int64_t cny = lognormal_cny(h);
	if (cny > 4500)
		cny = 4500;
	if (cny < 9)
		cny = 9;
	if (exp) {
		/* an export listing in USD at about 7.2 CNY, at x.99 */
		int64_t usd = cny * 10 / 72;
		k->price = usd < 1 ? CENTS(99) : CNY(usd) - CENTS(1);
	} else {
		unsigned style = (unsigned)((h >> 60) % 3);
		k->price = style == 0 ? CNY(cny) : CNY(cny - 1) + CENTS(style == 1 ? 90 : 99);
	}
	uint64_t h2 = splitmix(&h);
	k->weight = (int64_t)(5 + h2 % 196) * 1000; /* 0.05 .. 2.00 kg, to 10 g */
	k->unit = weight_unit(r->unit1) ? (r->unit2[0] && !weight_unit(r->unit2) ? r->unit2 : "007")
	                                : r->unit1;
	const struct ceb_code *cc = ceb_code_find(CEB_CODES_COUNTRY, s->country, 3);
	char w[DEC_FMT_MAX], ean[14];
	dec_format(k->weight, w);
	k->item_no = arena_printf(g->keep, "%s%02u-%04zu", exp ? "EX" : "SKU", sidx + 1, row);
	k->item_name = arena_printf(g->keep, "%s %s", s->tag, r->name);
	k->gmodel = arena_printf(g->keep, "%s|%s牌|净重%skg/件|产地%s", r->name, s->tag, w,
	                         exp || !cc ? "中国" : cc->zh);
	if (exp) {
		k->barcode = "无";
	} else {
		make_ean(splitmix(&h2), gs1_prefix(s->country), ean);
		k->barcode = arena_strdup(g->keep, ean);
	}
	if (!k->item_no || !k->item_name || !k->gmodel || !k->barcode)
		return CBEC_ENOMEM;
	g->nskus++;
	return 0;
}

/* Each seller lists about a third of the usable tariff lines (exporters: of the goods a
 * Chinese seller exports), at least one. */
static int build_catalogue(struct gen *g)
{
	size_t nrows = tariff_count(g->tariff);
	uint32_t cap = 0;
	size_t nusable = 0, nexportable = 0;
	for (size_t r = 0; r < nrows; r++) {
		const struct tariff_rate *t = tariff_at(g->tariff, r);
		nusable += usable(t);
		nexportable += usable(t) && exportable(t);
	}
	if (!nusable)
		return CBEC_EINVAL;
	for (int exp = 0; exp < 2; exp++) {
		const struct ent *sellers = exp ? k_eebc : k_iebc;
		size_t ns = exp ? NELEM(k_eebc) : NELEM(k_iebc);
		for (size_t s = 0; s < ns; s++) {
			struct seller_skus *ss = exp ? &g->eseller[s] : &g->iseller[s];
			ss->first = g->nskus;
			for (int pass = 0; pass < 2 && g->nskus == ss->first; pass++) {
				for (size_t r = 0; r < nrows; r++) {
					const struct tariff_rate *t = tariff_at(g->tariff, r);
					if (!usable(t) || (exp && nexportable && !exportable(t)))
						continue;
					uint64_t h = hash2(g->key[K_SKU] ^ 0x5eed,
					                   (s << 20 | r) + (uint64_t)exp);
					if (pass == 0 && h % 100 >= 33)
						continue;
					int rc =
					    add_sku(g, &cap, t, &sellers[s], (unsigned)s, exp, r);
					if (rc)
						return rc;
					if (pass == 1)
						break; /* the fallback: one line is enough */
				}
			}
			ss->n = g->nskus - ss->first;
		}
	}
	g->dear = malloc((g->nskus + 1) * sizeof *g->dear);
	if (!g->dear)
		return CBEC_ENOMEM;
	uint32_t nd = 0;
	for (size_t s = 0; s < NELEM(k_iebc); s++) {
		struct seller_skus *ss = &g->iseller[s];
		ss->dear_first = nd;
		for (uint32_t k = ss->first; k < ss->first + ss->n; k++)
			if (g->skus[k].price >= CNY(600))
				g->dear[nd++] = k;
		ss->ndear = nd - ss->dear_first;
	}
	g->ndear = nd;
	g->have_dear = nd > 0;
	return 0;
}

/* ---- buyers: a pure function of (seed, index), with a unique resident ID ---- */

static void make_idcard(const char *district, int64_t birth_day, unsigned seq, char out[19])
{
	static const int wt[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check[] = "10X98765432";
	int y;
	unsigned m, d;
	civil_from_days(birth_day, &y, &m, &d);
	char b[48];
	snprintf(b, sizeof b, "%.6s%04d%02u%02u%03u", district, y % 10000, m % 100, d % 100,
	         seq % 1000);
	memcpy(out, b, 17);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * wt[i];
	out[17] = check[sum % 11];
	out[18] = '\0';
}

static void make_name(uint64_t h, const char *surname, char *out, size_t n)
{
	const char *g1 = k_given[h % NELEM(k_given)];
	const char *g2 = k_given[(h >> 8) % NELEM(k_given)];
	if ((h >> 16) % 10 < 3)
		snprintf(out, n, "%s%s", surname, g1);
	else
		snprintf(out, n, "%s%s%s", surname, g1, g2);
}

static void make_phone(uint64_t h, char out[12])
{
	snprintf(out, 12, "%s%08u", k_mobile[h % NELEM(k_mobile)],
	         (unsigned)((h >> 8) % 100000000));
}

static void build_buyer(const struct gen *g, uint32_t b, const struct order *o, struct buyer *out)
{
	uint64_t h = hash2(g->key[K_BUYER], b);
	struct rng r;
	rng_init(&r, h);
	const char *surname = k_surname[rng_below(&r, NELEM(k_surname))];
	make_name(rng_u64(&r), surname, out->name, sizeof out->name);
	size_t di = rng_pick(&r, k_w_district, NELEM(k_district));
	memcpy(out->district, k_district[di].code, 7);
	/* (birth day, sequence) is unique per buyer below 16,384,000 buyers: multiplying by an
	 * odd number is a bijection mod 2^14. */
	int64_t day = days_from_civil(1960, 1, 1) + (int64_t)((b * 40503u + 977u) & 16383u);
	make_idcard(out->district, day, (b >> 14) % 1000, out->id);
	make_phone(rng_u64(&r), out->phone);
	snprintf(out->reg, sizeof out->reg, "U%010llu",
	         (unsigned long long)(rng_u64(&r) % 10000000000ULL));
	snprintf(out->addr, sizeof out->addr, "%s%s%u号%u幢%u单元%u室", k_district[di].text,
	         k_street[rng_below(&r, NELEM(k_street))], rng_range(&r, 1, 999),
	         rng_range(&r, 1, 30), rng_range(&r, 1, 4),
	         rng_range(&r, 1, 32) * 100 + rng_range(&r, 1, 4));
	if (o && o->other_consignee) {
		/* a family member at the same address */
		uint64_t hc = hash2(h, o->idx);
		make_name(hc, surname, out->cname, sizeof out->cname);
		if (!strcmp(out->cname, out->name))
			snprintf(out->cname, sizeof out->cname, "%s%s", surname, "晓");
		make_phone(splitmix(&hc), out->cphone);
	} else {
		memcpy(out->cname, out->name, sizeof out->cname);
		memcpy(out->cphone, out->phone, sizeof out->cphone);
	}
}

/* ---- building an order ---- */

static int64_t order_second(const struct gen *g, uint64_t i)
{
	uint64_t total = 0;
	for (int h = 0; h < 24; h++)
		total += k_w_hour[h];
	unsigned __int128 pos = (unsigned __int128)i * total * 3600 / g->o.orders;
	for (int h = 0; h < 24; h++) {
		uint64_t span = (uint64_t)k_w_hour[h] * 3600;
		if (pos < span)
			return h * 3600 + (int64_t)(pos / k_w_hour[h]);
		pos -= span;
	}
	return 86399;
}

static const struct sku *pick_sku(const struct gen *g, struct rng *r, const struct seller_skus *s)
{
	return &g->skus[s->first + skew2(rng_u32(r), s->n)];
}

static bool has_sku(const struct order *o, const struct sku *k)
{
	for (size_t j = 0; j < o->n; j++)
		if (o->l[j].sku == k)
			return true;
	return false;
}

static void add_line(struct order *o, const struct sku *k, uint32_t q)
{
	struct oline *l = &o->l[o->n++];
	l->sku = k;
	l->q = q;
	l->price = k->price;
	l->total = k->price * q;
	o->goods += l->total;
	o->net += k->weight * q;
}

/* 1-5 lines (mostly 1-2), 1-3 pieces each, the list's dutiable value within the limit. */
static void import_lines(const struct gen *g, struct rng *r, struct order *o)
{
	const struct seller_skus *s = &g->iseller[o->seller];
	size_t want = 1 + rng_pick(r, k_w_lines, NELEM(k_w_lines));
	int64_t room = g->o.single_limit - o->freight;
	for (size_t j = 0; j < want; j++) {
		const struct sku *k = pick_sku(g, r, s);
		for (int tries = 0; tries < 4 && has_sku(o, k); tries++)
			k = pick_sku(g, r, s);
		uint32_t q = 1 + (uint32_t)rng_pick(r, k_w_qty, NELEM(k_w_qty));
		if (has_sku(o, k))
			continue;
		while (q > 1 && o->goods + k->price * q > room)
			q--;
		if (o->goods + k->price * q > room) {
			if (o->n)
				continue;
			k = &g->skus[s->first]; /* cannot happen while prices stay below 4,500 */
		}
		add_line(o, k, q);
	}
}

/* L-01: several dear lines, two pieces each, until the list is over the single limit. */
static void over_limit_lines(const struct gen *g, struct rng *r, struct order *o)
{
	const struct seller_skus *s = &g->iseller[o->seller];
	uint32_t first = s->ndear ? s->dear_first : 0;
	uint32_t n = s->ndear ? s->ndear : g->ndear;
	while (o->n < MAX_LINES &&
	       (o->n < 2 || o->goods + o->freight <= g->o.single_limit + CNY(200)))
		add_line(o, &g->skus[g->dear[first + rng_below(r, n)]], 2);
}

static void export_order(const struct gen *g, struct rng *r, struct order *o)
{
	o->exp = true;
	o->ndocs = 3;
	o->ebp = (uint8_t)rng_pick(r, k_w_eebp, NELEM(k_eebp));
	o->seller = (uint8_t)rng_pick(r, k_w_eebc, NELEM(k_eebc));
	o->carrier = (uint8_t)rng_pick(r, k_w_elog, NELEM(k_elog));
	o->agent = o->seller % NELEM(k_eagent);
	o->dest = (uint8_t)rng_pick(r, k_w_dest, NELEM(k_dest));
	const struct seller_skus *s = &g->eseller[o->seller];
	size_t want = 1 + rng_pick(r, k_w_elines, NELEM(k_w_elines));
	for (size_t j = 0; j < want; j++) {
		const struct sku *k = pick_sku(g, r, s);
		if (has_sku(o, k))
			continue;
		add_line(o, k, 1 + (uint32_t)rng_pick(r, k_w_qty, NELEM(k_w_qty)));
	}
	o->freight = CNY(rng_range(r, 3, 15)); /* USD charged to the buyer */
	o->efreight = CNY(rng_range(r, 25, 120));
	o->gross = (o->net * 115 / 100 + 15000 + 999) / 1000 * 1000;
	const struct ent *p = &k_eebp[o->ebp];
	snprintf(o->order_no, sizeof o->order_no, "%sE%s%010llu", p->tag, g->o.day,
	         (unsigned long long)o->idx + 1);
	snprintf(o->wb_no, sizeof o->wb_no, "%s%s%010llu", k_elog[o->carrier].tag, g->yymmdd,
	         (unsigned long long)o->idx + 1);
	snprintf(o->cop_no, sizeof o->cop_no, "%s%s%010llu", k_eagent[o->agent].tag, g->yymmdd,
	         (unsigned long long)o->idx + 1);
	o->t_doc[D303] = o->t + rng_range(r, 10, 300);
	o->t_doc[D505] = o->t + rng_range(r, 600, 3600);
	o->t_doc[D603] = o->t + rng_range(r, 1200, 7200);
}

static void build_order(const struct gen *g, uint64_t i, struct order *o)
{
	memset(o, 0, sizeof *o);
	struct rng r;
	rng_init(&r, hash2(g->key[K_ORDER], i));
	o->idx = i;
	o->t = g->day_start + order_second(g, i) + rng_below(&r, 3);
	if (rng_bp(&r, g->o.export_bp)) {
		export_order(g, &r, o);
		return;
	}
	o->ndocs = 4;
	o->bonded = rng_bp(&r, g->o.bonded_bp);
	o->ebp = (uint8_t)rng_pick(&r, k_w_iebp, NELEM(k_iebp));
	o->seller = (uint8_t)rng_pick(&r, k_w_iebc, NELEM(k_iebc));
	o->pay = (uint8_t)rng_pick(&r, k_w_ipay, NELEM(k_ipay));
	o->carrier = (uint8_t)rng_pick(&r, k_w_ilog, NELEM(k_ilog));
	o->agent = o->seller % NELEM(k_iagent); /* each seller has its broker and warehouse */
	o->area = o->seller % NELEM(k_iarea);
	o->flight = (uint8_t)rng_below(&r, NELEM(k_flight));
	o->buyer = (uint32_t)skew15(rng_u32(&r), g->buyers);
	o->other_consignee = rng_bp(&r, 1200);
	if (rng_bp(&r, g->fault_order_bp)) {
		uint16_t w[GEN_F__N];
		memcpy(w, k_w_fault, sizeof w);
		if (!g->have_dear)
			w[GEN_F_SINGLE] = 0;
		o->fault = (uint8_t)rng_pick(&r, w, GEN_F__N);
		o->fault_arg = rng_u32(&r);
		switch (o->fault) {
		case GEN_F_PAID:
			o->fault_doc = D311;
			break;
		case GEN_F_GNUM:
			o->fault_doc = o->fault_arg % 2 ? D621 : D311;
			break;
		case GEN_F_AMOUNT:
			o->fault_doc = D411;
			break;
		case GEN_F_CURRENCY:
		case GEN_F_TRUNCATED:
			o->fault_doc = (uint8_t)(o->fault_arg % 4);
			break;
		default:
			o->fault_doc = D621;
			break;
		}
	}
	/* festival orders mostly ship free */
	o->freight = rng_bp(&r, 5500) ? 0 : CNY(rng_range(&r, 5, 30));
	if (o->fault == GEN_F_SINGLE)
		over_limit_lines(g, &r, o);
	else
		import_lines(g, &r, o);
	if (rng_bp(&r, 600)) {
		static const int coupon[] = {5, 10, 20, 30, 50};
		int64_t c = CNY(coupon[rng_below(&r, NELEM(coupon))]);
		o->discount = c < o->goods ? c : 0;
	}
	o->gross = (o->net * 115 / 100 + 15000 + 999) / 1000 * 1000;
	/* the platform's own assessment of the list: taxTotal is what the buyer pays */
	struct tax_line tl[MAX_LINES];
	for (size_t j = 0; j < o->n; j++)
		tl[j] = (struct tax_line){o->l[j].total, (int64_t)o->l[j].q * DEC_SCALE,
		                          o->l[j].sku->rate};
	struct tax_opts to;
	tax_opts_default(&to);
	to.single_limit = g->o.single_limit;
	struct tax_result tr;
	tax_compute(tl, o->n, o->freight, 0, o->discount, &to, &tr);
	o->tax = tr.total;
	o->dutiable = tr.dutiable;
	o->paid = o->goods + o->freight + o->tax - o->discount;
	const struct ent *p = &k_iebp[o->ebp];
	unsigned long long no = (unsigned long long)i + 1;
	snprintf(o->order_no, sizeof o->order_no, "%s%s%010llu", p->tag, g->o.day, no);
	snprintf(o->pay_no, sizeof o->pay_no, "%s%s%012llu", k_ipay[o->pay].tag, g->o.day, no);
	snprintf(o->wb_no, sizeof o->wb_no, "%s%s%010llu", k_ilog[o->carrier].tag, g->yymmdd, no);
	snprintf(o->cop_no, sizeof o->cop_no, "%s%s%010llu", k_iagent[o->agent].tag, g->yymmdd, no);
	o->t_pay = o->t + rng_range(&r, 2, 40);
	o->t_doc[D311] = o->t_pay + rng_range(&r, 10, 300);
	o->t_doc[D411] = o->t_pay + rng_range(&r, 5, 120);
	o->t_doc[D511] = o->t + rng_range(&r, 600, 5400);
	o->t_doc[D621] = o->t + rng_range(&r, 900, 7200);
	if (o->bonded && o->fault == GEN_F_NONE) {
		/* a stream of its own: the orders' other bytes stay as they were */
		struct rng sr;
		rng_init(&sr, hash2(g->key[K_STOCK], i));
		o->short_stock = rng_bp(&sr, g->o.short_bp);
	}
}

/* ---- the bonded account (B-02, B-06) ---- */

/* The account record's unit for an item: the legal unit for about half of the goods, the
 * declared unit for the rest, so both of B-06's cases occur. */
static const char *record_unit(const struct sku *k)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = k->item_no; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h >> 7 & 1 ? k->rate->unit1 : k->unit;
}

/* What a line takes from its record, in the record's unit (as the platform counts it). */
static int64_t record_qty(const struct oline *l)
{
	const char *u = record_unit(l->sku);
	if (!strcmp(u, l->sku->unit))
		return (int64_t)l->q * DEC_SCALE;
	return legal_qty(l->sku->rate->unit1, l->q, l->sku->weight);
}

/* The itemRecordNo of line j: area + item; line 1 of a short order has its own record. */
static void record_no(const struct order *o, size_t j, char out[32])
{
	const struct ent *area = &k_iarea[o->area];
	if (j == 0 && o->short_stock)
		snprintf(out, 32, "%s-%s-S%llu", area->tag + 6, o->l[j].sku->item_no,
		         (unsigned long long)o->idx + 1);
	else
		snprintf(out, 32, "%s-%s", area->tag + 6, o->l[j].sku->item_no);
}

static int cmp_stock(const void *a, const void *b)
{
	const struct stock *x = a, *y = b;
	if (x->area != y->area)
		return x->area < y->area ? -1 : 1;
	return strcmp(x->item, y->item);
}

/* The block's first-line entries: every 1210 line's quantity, merged per record (one entry
 * per warehouse and block); a short order's own record gets half of what it takes. */
static int block_stock(struct gen *g)
{
	g->nstock = g->next_stock = 0;
	for (size_t k = 0; k < g->nord; k++) {
		const struct order *o = &g->ord[k];
		if (o->exp || !o->bonded)
			continue;
		for (size_t j = 0; j < o->n; j++) {
			if (g->nstock == g->capstock) {
				size_t cap = g->capstock ? g->capstock * 2 : 64;
				struct stock *p = realloc(g->stock, cap * sizeof *p);
				if (!p)
					return CBEC_ENOMEM;
				g->stock = p;
				g->capstock = cap;
			}
			struct stock *x = &g->stock[g->nstock++];
			x->area = o->area;
			record_no(o, j, x->item);
			x->sku = o->l[j].sku;
			x->unit = record_unit(x->sku);
			x->qty = record_qty(&o->l[j]);
			if (j == 0 && o->short_stock)
				x->qty = x->qty / 2 > 0 ? x->qty / 2 : 0;
			if (x->qty <= 0)
				g->nstock--; /* cannot happen: a line takes at least 0.00002 */
		}
	}
	if (g->nstock > 1)
		qsort(g->stock, g->nstock, sizeof *g->stock, cmp_stock);
	size_t w = 0;
	for (size_t i = 0; i < g->nstock; i++) {
		if (w && !cmp_stock(&g->stock[w - 1], &g->stock[i]))
			g->stock[w - 1].qty += g->stock[i].qty;
		else
			g->stock[w++] = g->stock[i];
	}
	g->nstock = w;
	return 0;
}

static int build_block(struct gen *g);

int gen_next_stockin(struct gen *g, struct gen_stockin *out)
{
	if (g->err)
		return g->err;
	if (g->next_slot >= g->nslots && g->next_order < g->o.orders) {
		int rc = build_block(g);
		if (rc)
			return g->err = rc;
	}
	if (g->next_stock >= g->nstock)
		return 0;
	const struct stock *x = &g->stock[g->next_stock++];
	const struct ent *area = &k_iarea[x->area];
	snprintf(g->entry, sizeof g->entry, "%s-%s-%06llu", area->tag, g->yymmdd,
	         (unsigned long long)g->block);
	memset(out, 0, sizeof *out);
	out->ems_no = area->tag;
	out->item_no = x->item;
	out->gcode = x->sku->rate->hs;
	out->gname = x->sku->rate->name;
	out->unit = x->unit;
	out->entry = g->entry;
	out->owner = area->code;
	out->qty = x->qty;
	out->before = g->seq + 1;
	g->st.stockins++;
	return 1;
}

/* ---- writing the messages with the model ---- */

struct wctx {
	struct gen *g;
	struct ceb_msg *m;
	struct rng *r;
	int err;
};

static struct ceb_node *add(struct wctx *w, struct ceb_node *parent, int kid)
{
	if (!parent || w->err)
		return NULL;
	struct ceb_node *n = ceb_node_add(w->m, parent, kid);
	if (!n)
		w->err = CBEC_ENOMEM;
	return n;
}

static void put(struct wctx *w, struct ceb_node *rec, int field, const char *s)
{
	if (rec && !w->err && ceb_node_setz(w->m, rec, field, s))
		w->err = CBEC_ENOMEM;
}

static void put_money(struct wctx *w, struct ceb_node *rec, int field, int64_t v)
{
	char b[DEC_FMT_MAX];
	put(w, rec, field, dec_format_fixed(v, 2, b));
}

static void put_dec(struct wctx *w, struct ceb_node *rec, int field, int64_t v)
{
	char b[DEC_FMT_MAX];
	put(w, rec, field, dec_format(v, b));
}

static void put_uint(struct wctx *w, struct ceb_node *rec, int field, unsigned long long v)
{
	char b[24];
	snprintf(b, sizeof b, "%llu", v);
	put(w, rec, field, b);
}

static void put_time(struct wctx *w, struct ceb_node *rec, int field, int64_t t)
{
	char b[15];
	fmt_time14(t, b);
	put(w, rec, field, b);
}

static void put_date(struct wctx *w, struct ceb_node *rec, int field, int64_t t)
{
	char b[9];
	fmt_date8(t, b);
	put(w, rec, field, b);
}

/* An upper-case version-4 UUID from the stream (F-02 layout). */
static void make_guid(struct rng *r, char out[37])
{
	static const char hex[] = "0123456789ABCDEF";
	uint64_t a = rng_u64(r), b = rng_u64(r);
	unsigned char x[16];
	for (int i = 0; i < 8; i++) {
		x[i] = (unsigned char)(a >> (8 * i));
		x[8 + i] = (unsigned char)(b >> (8 * i));
	}
	x[6] = (unsigned char)((x[6] & 0x0F) | 0x40);
	x[8] = (unsigned char)((x[8] & 0x3F) | 0x80);
	int o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[x[i] >> 4];
		out[o++] = hex[x[i] & 15];
	}
	out[o] = '\0';
}

static void put_guid(struct wctx *w, struct ceb_node *rec, int field)
{
	char b[37];
	make_guid(w->r, b);
	put(w, rec, field, b);
}

static struct ceb_node *msg_begin(struct wctx *w, enum gen_type t)
{
	w->m = ceb_msg_new(w->g->msg, w->g->type[t]);
	if (!w->m) {
		w->err = CBEC_ENOMEM;
		return NULL;
	}
	char b[37];
	make_guid(w->r, b);
	w->m->guid.p = arena_strdup(w->g->msg, b);
	w->m->guid.n = 36;
	w->m->version.p = "1.0";
	w->m->version.n = 3;
	if (!w->m->guid.p)
		w->err = CBEC_ENOMEM;
	return w->m->root;
}

static void base_transfer(struct wctx *w, struct ceb_node *root, enum gen_type t,
                          const struct ent *e)
{
	struct ceb_node *bt = add(w, root, w->g->kid_bt[t]);
	bool imp = t < GEN_T_303 || t > GEN_T_603;
	char dxp[32];
	snprintf(dxp, sizeof dxp, "DXPENT%s", e->code);
	put(w, bt, imp ? IBT_copCode : EBT_copCode, e->code);
	put(w, bt, imp ? IBT_copName : EBT_copName, e->name);
	put(w, bt, imp ? IBT_dxpMode : EBT_dxpMode, "DXP");
	put(w, bt, imp ? IBT_dxpId : EBT_dxpId, dxp);
}

static void signature(struct wctx *w, struct ceb_node *root, enum gen_type t)
{
	struct ceb_node *sig = add(w, root, w->g->kid_sig[t]);
	if (sig && !w->err && ceb_node_set(w->m, sig, 0, k_signature, sizeof k_signature - 1))
		w->err = CBEC_ENOMEM;
}

static bool faulty(const struct order *o, enum gen_fault f, int doc)
{
	return o->fault == f && o->fault_doc == doc;
}

/* Another valid currency than 142, for I-01. */
static const char *foreign_currency(const struct order *o)
{
	static const char *const cur[] = {"502", "116", "300", "110"};
	return cur[(o->fault_arg >> 4) % NELEM(cur)];
}

/* gnum of line j; X-04 repeats the previous number on the last line (or skips to 2). */
static unsigned gnum_of(const struct order *o, size_t j, int doc)
{
	if (faulty(o, GEN_F_GNUM, doc) && j + 1 == o->n)
		return o->n == 1 ? 2 : (unsigned)j;
	return (unsigned)j + 1;
}

static void render_311(struct wctx *w, const struct order *o, const struct buyer *b)
{
	struct ceb_node *root = msg_begin(w, GEN_T_311);
	struct ceb_node *ord = add(w, root, 0), *h = add(w, ord, 0);
	const struct ent *ebp = &k_iebp[o->ebp], *ebc = &k_iebc[o->seller], *pay = &k_ipay[o->pay];
	put_guid(w, h, IOH_guid);
	put(w, h, IOH_appType, "1");
	put_time(w, h, IOH_appTime, o->t_doc[D311]);
	put(w, h, IOH_appStatus, "2");
	put(w, h, IOH_orderType, "I");
	put(w, h, IOH_orderNo, o->order_no);
	put(w, h, IOH_ebpCode, ebp->code);
	put(w, h, IOH_ebpName, ebp->name);
	put(w, h, IOH_ebcCode, ebc->code);
	put(w, h, IOH_ebcName, ebc->name);
	put_money(w, h, IOH_goodsValue, o->goods);
	put_money(w, h, IOH_freight, o->freight);
	put_money(w, h, IOH_discount, o->discount);
	put_money(w, h, IOH_taxTotal, o->tax);
	/* the tax left out of the paid amount (or a yuan too much when there is none) */
	int64_t paid = o->paid;
	if (faulty(o, GEN_F_PAID, D311))
		paid = o->tax >= CENTS(1) ? paid - o->tax : paid + CNY(1);
	put_money(w, h, IOH_acturalPaid, paid);
	put(w, h, IOH_currency, faulty(o, GEN_F_CURRENCY, D311) ? foreign_currency(o) : "142");
	put(w, h, IOH_buyerRegNo, b->reg);
	put(w, h, IOH_buyerName, b->name);
	put(w, h, IOH_buyerTelephone, b->phone);
	put(w, h, IOH_buyerIdType, "1");
	put(w, h, IOH_buyerIdNumber, b->id);
	put(w, h, IOH_payCode, pay->code);
	put(w, h, IOH_payName, pay->name);
	put(w, h, IOH_payTransactionId, o->pay_no);
	put(w, h, IOH_consignee, b->cname);
	put(w, h, IOH_consigneeTelephone, b->cphone);
	put(w, h, IOH_consigneeAddress, b->addr);
	put(w, h, IOH_consigneeDistrict, b->district);
	for (size_t j = 0; j < o->n; j++) {
		const struct oline *l = &o->l[j];
		struct ceb_node *x = add(w, ord, 1);
		put_uint(w, x, IOL_gnum, gnum_of(o, j, D311));
		put(w, x, IOL_itemNo, l->sku->item_no);
		put(w, x, IOL_itemName, l->sku->item_name);
		put(w, x, IOL_gmodel, l->sku->gmodel);
		put(w, x, IOL_barCode, l->sku->barcode);
		put(w, x, IOL_unit, l->sku->unit);
		put_uint(w, x, IOL_qty, l->q);
		put_money(w, x, IOL_price, l->price);
		put_money(w, x, IOL_totalPrice, l->total);
		put(w, x, IOL_currency, "142");
		put(w, x, IOL_country, k_iebc[o->seller].country);
	}
	base_transfer(w, root, GEN_T_311, ebp);
}

static void render_411(struct wctx *w, const struct order *o, const struct buyer *b)
{
	struct ceb_node *root = msg_begin(w, GEN_T_411);
	struct ceb_node *h = add(w, add(w, root, 0), 0);
	const struct ent *ebp = &k_iebp[o->ebp], *pay = &k_ipay[o->pay];
	put_guid(w, h, IPH_guid);
	put(w, h, IPH_appType, "1");
	put_time(w, h, IPH_appTime, o->t_doc[D411]);
	put(w, h, IPH_appStatus, "2");
	put(w, h, IPH_payCode, pay->code);
	put(w, h, IPH_payName, pay->name);
	put(w, h, IPH_payTransactionId, o->pay_no);
	put(w, h, IPH_orderNo, o->order_no);
	put(w, h, IPH_ebpCode, ebp->code);
	put(w, h, IPH_ebpName, ebp->name);
	put(w, h, IPH_payerIdType, "1");
	put(w, h, IPH_payerIdNumber, b->id);
	put(w, h, IPH_payerName, b->name);
	put(w, h, IPH_telephone, b->phone);
	/* M-04: the payment firm reports the amount before tax (or 0.50 more) */
	int64_t paid = o->paid;
	if (faulty(o, GEN_F_AMOUNT, D411))
		paid = o->tax >= CENTS(1) ? paid - o->tax : paid + CENTS(50);
	put_money(w, h, IPH_amountPaid, paid);
	put(w, h, IPH_currency, faulty(o, GEN_F_CURRENCY, D411) ? foreign_currency(o) : "142");
	put_time(w, h, IPH_payTime, o->t_pay);
	base_transfer(w, root, GEN_T_411, pay);
}

/* "name×2;name×1…" cut to at most `max` characters (UTF-8 aware). */
static void goods_info(const struct order *o, char *out, size_t cap, size_t max)
{
	size_t n = 0, chars = 0;
	out[0] = '\0';
	for (size_t j = 0; j < o->n; j++) {
		char item[400];
		int k = snprintf(item, sizeof item, "%s%s×%u", j ? ";" : "",
		                 o->l[j].sku->rate->name, o->l[j].q);
		if (k < 0 || (size_t)k >= sizeof item)
			break;
		size_t c = 0;
		for (int i = 0; i < k; i++)
			c += ((unsigned char)item[i] & 0xC0) != 0x80;
		if (chars + c > max || n + (size_t)k >= cap)
			break;
		memcpy(out + n, item, (size_t)k + 1);
		n += (size_t)k;
		chars += c;
	}
	if (!n)
		snprintf(out, cap, "跨境商品");
}

static void render_511(struct wctx *w, const struct order *o, const struct buyer *b)
{
	struct ceb_node *root = msg_begin(w, GEN_T_511);
	struct ceb_node *h = add(w, add(w, root, 0), 0);
	const struct ent *lg = &k_ilog[o->carrier];
	char info[800];
	put_guid(w, h, ILH_guid);
	put(w, h, ILH_appType, "1");
	put_time(w, h, ILH_appTime, o->t_doc[D511]);
	put(w, h, ILH_appStatus, "2");
	put(w, h, ILH_logisticsCode, lg->code);
	put(w, h, ILH_logisticsName, lg->name);
	put(w, h, ILH_logisticsNo, o->wb_no);
	if (!o->bonded) {
		char bill[40];
		snprintf(bill, sizeof bill, "%s-%s%02u", k_flight[o->flight].awb, w->g->yymmdd,
		         (unsigned)o->flight + 11);
		put(w, h, ILH_billNo, bill);
	}
	put(w, h, ILH_orderNo, o->order_no);
	put_money(w, h, ILH_freight, o->freight);
	put_money(w, h, ILH_insuredFee, 0);
	put(w, h, ILH_currency, faulty(o, GEN_F_CURRENCY, D511) ? foreign_currency(o) : "142");
	put_dec(w, h, ILH_weight, o->gross);
	put(w, h, ILH_packNo, "1");
	goods_info(o, info, sizeof info, 200);
	put(w, h, ILH_goodsInfo, info);
	put(w, h, ILH_consignee, b->cname);
	put(w, h, ILH_consigneeAddress, b->addr);
	put(w, h, ILH_consigneeTelephone, b->cphone);
	base_transfer(w, root, GEN_T_511, lg);
}

/* The customs office and port: 1210 leaves the bonded zone (杭经开关), 9610 arrives by air
 * at Xiaoshan airport and is declared at the CBEC supervision centre. */
static const char *customs_of(const struct order *o)
{
	return o->bonded ? "2909" : "2928";
}

static const char *port_of(const struct order *o)
{
	return o->bonded ? "2909" : "2910";
}

static void render_621(struct wctx *w, const struct order *o, const struct buyer *b)
{
	struct ceb_node *root = msg_begin(w, GEN_T_621);
	struct ceb_node *inv = add(w, root, 0), *h = add(w, inv, 0);
	const struct ent *ebp = &k_iebp[o->ebp], *ebc = &k_iebc[o->seller],
	                 *lg = &k_ilog[o->carrier];
	const struct ent *ag = &k_iagent[o->agent], *area = &k_iarea[o->area];
	put_guid(w, h, IIH_guid);
	put(w, h, IIH_appType, "1");
	put_time(w, h, IIH_appTime, o->t_doc[D621]);
	put(w, h, IIH_appStatus, "2");
	put(w, h, IIH_orderNo, o->order_no);
	put(w, h, IIH_ebpCode, ebp->code);
	put(w, h, IIH_ebpName, ebp->name);
	put(w, h, IIH_ebcCode, ebc->code);
	put(w, h, IIH_ebcName, ebc->name);
	put(w, h, IIH_logisticsNo, o->wb_no);
	put(w, h, IIH_logisticsCode, lg->code);
	put(w, h, IIH_logisticsName, lg->name);
	put(w, h, IIH_copNo, o->cop_no);
	put(w, h, IIH_assureCode, ebc->code);
	if (o->bonded)
		put(w, h, IIH_emsNo, area->tag);
	put(w, h, IIH_ieFlag, "I");
	put_date(w, h, IIH_declTime, o->t_doc[D621]);
	put(w, h, IIH_customsCode, customs_of(o));
	put(w, h, IIH_portCode, port_of(o));
	put(w, h, IIH_buyerIdType, "1");
	put(w, h, IIH_buyerIdNumber, b->id);
	if (faulty(o, GEN_F_BUYER, D621)) {
		/* M-05: the broker typed another name (a different given name) */
		char other[40];
		snprintf(other, sizeof other, "%.3s%s", b->name,
		         k_given[(o->fault_arg >> 8) % NELEM(k_given)]);
		if (!strcmp(other, b->name))
			snprintf(other, sizeof other, "%s某", b->name);
		put(w, h, IIH_buyerName, other);
	} else {
		put(w, h, IIH_buyerName, b->name);
	}
	put(w, h, IIH_buyerTelephone, b->phone);
	put(w, h, IIH_consigneeAddress, b->addr);
	put(w, h, IIH_agentCode, ag->code);
	put(w, h, IIH_agentName, ag->name);
	if (o->bonded) {
		put(w, h, IIH_areaCode, area->code);
		put(w, h, IIH_areaName, area->name);
	}
	put(w, h, IIH_tradeMode, o->bonded ? "1210" : "9610");
	put(w, h, IIH_trafMode, o->bonded ? "4" : "5");
	if (!o->bonded) {
		char bill[40];
		snprintf(bill, sizeof bill, "%s-%s%02u", k_flight[o->flight].awb, w->g->yymmdd,
		         (unsigned)o->flight + 11);
		put(w, h, IIH_trafNo, k_flight[o->flight].flight);
		put_date(w, h, IIH_voyageNo, o->t);
		put(w, h, IIH_billNo, bill);
	}
	put(w, h, IIH_country, o->bonded ? "142" : ebc->country);
	put_money(w, h, IIH_freight, o->freight);
	put_money(w, h, IIH_insuredFee, 0);
	put(w, h, IIH_currency, faulty(o, GEN_F_CURRENCY, D621) ? foreign_currency(o) : "142");
	put(w, h, IIH_wrapType, "2");
	put(w, h, IIH_packNo, "1");
	put_dec(w, h, IIH_grossWeight, o->gross);
	put_dec(w, h, IIH_netWeight, o->net);
	for (size_t j = 0; j < o->n; j++) {
		const struct oline *l = &o->l[j];
		const struct tariff_rate *t = l->sku->rate;
		struct ceb_node *x = add(w, inv, 1);
		put_uint(w, x, IIL_gnum, gnum_of(o, j, D621));
		if (o->bonded) {
			char rec[32];
			record_no(o, j, rec);
			put(w, x, IIL_itemRecordNo, rec);
		}
		put(w, x, IIL_itemNo, l->sku->item_no);
		put(w, x, IIL_itemName, l->sku->item_name);
		put(w, x, IIL_gcode, t->hs);
		put(w, x, IIL_gname, t->name);
		put(w, x, IIL_gmodel, l->sku->gmodel);
		put(w, x, IIL_barCode, l->sku->barcode);
		put(w, x, IIL_country, ebc->country);
		put(w, x, IIL_currency, "142");
		put_uint(w, x, IIL_qty, l->q);
		put(w, x, IIL_unit, l->sku->unit);
		put_dec(w, x, IIL_qty1, legal_qty(t->unit1, l->q, l->sku->weight));
		put(w, x, IIL_unit1, t->unit1);
		if (t->unit2[0]) {
			put_dec(w, x, IIL_qty2, legal_qty(t->unit2, l->q, l->sku->weight));
			put(w, x, IIL_unit2, t->unit2);
		}
		put_money(w, x, IIL_price, l->price);
		put_money(w, x, IIL_totalPrice, l->total);
	}
	base_transfer(w, root, GEN_T_621, ag);
	signature(w, root, GEN_T_621);
}

static void render_303(struct wctx *w, const struct order *o)
{
	struct ceb_node *root = msg_begin(w, GEN_T_303);
	struct ceb_node *ord = add(w, root, 0), *h = add(w, ord, 0);
	const struct ent *ebp = &k_eebp[o->ebp], *ebc = &k_eebc[o->seller];
	put_guid(w, h, EOH_guid);
	put(w, h, EOH_appType, "1");
	put_time(w, h, EOH_appTime, o->t_doc[D303]);
	put(w, h, EOH_appStatus, "2");
	put(w, h, EOH_orderType, "E");
	put(w, h, EOH_orderNo, o->order_no);
	put(w, h, EOH_ebpCode, ebp->code);
	put(w, h, EOH_ebpName, ebp->name);
	put(w, h, EOH_ebcCode, ebc->code);
	put(w, h, EOH_ebcName, ebc->name);
	put_money(w, h, EOH_goodsValue, o->goods);
	put_money(w, h, EOH_freight, o->freight);
	put(w, h, EOH_currency, "502");
	for (size_t j = 0; j < o->n; j++) {
		const struct oline *l = &o->l[j];
		struct ceb_node *x = add(w, ord, 1);
		put_uint(w, x, EOL_gnum, j + 1);
		put(w, x, EOL_itemNo, l->sku->item_no);
		put(w, x, EOL_itemName, l->sku->item_name);
		put(w, x, EOL_barCode, "无");
		put(w, x, EOL_unit, l->sku->unit);
		put(w, x, EOL_currency, "502");
		put_uint(w, x, EOL_qty, l->q);
		put_money(w, x, EOL_price, l->price);
		put_money(w, x, EOL_totalPrice, l->total);
	}
	base_transfer(w, root, GEN_T_303, ebp);
}

static void render_505(struct wctx *w, const struct order *o)
{
	struct ceb_node *root = msg_begin(w, GEN_T_505);
	struct ceb_node *h = add(w, root, 0);
	const struct ent *lg = &k_elog[o->carrier], *ebc = &k_eebc[o->seller];
	char info[800], tel[16];
	put_guid(w, h, ELG_guid);
	put(w, h, ELG_appType, "1");
	put_time(w, h, ELG_appTime, o->t_doc[D505]);
	put(w, h, ELG_appStatus, "2");
	put(w, h, ELG_logisticsCode, lg->code);
	put(w, h, ELG_logisticsName, lg->name);
	put(w, h, ELG_logisticsNo, o->wb_no);
	put_money(w, h, ELG_freight, o->efreight);
	put_money(w, h, ELG_insuredFee, 0);
	put(w, h, ELG_currency, "142");
	put_dec(w, h, ELG_grossWeight, o->gross);
	put(w, h, ELG_packNo, "1");
	goods_info(o, info, sizeof info, 200);
	put(w, h, ELG_goodsInfo, info);
	put(w, h, ELG_ebcCode, ebc->code);
	put(w, h, ELG_ebcName, ebc->name);
	snprintf(tel, sizeof tel, "0571%08u", 86000000u + (unsigned)o->seller * 1111u);
	put(w, h, ELG_ebcTelephone, tel);
	base_transfer(w, root, GEN_T_505, lg);
}

static void render_603(struct wctx *w, const struct order *o)
{
	struct ceb_node *root = msg_begin(w, GEN_T_603);
	struct ceb_node *inv = add(w, root, 0), *h = add(w, inv, 0);
	const struct ent *ebp = &k_eebp[o->ebp], *ebc = &k_eebc[o->seller];
	const struct ent *lg = &k_elog[o->carrier], *ag = &k_eagent[o->agent];
	const char *dest = k_dest[o->dest].country;
	put_guid(w, h, EIH_guid);
	put(w, h, EIH_appType, "1");
	put_time(w, h, EIH_appTime, o->t_doc[D603]);
	put(w, h, EIH_appStatus, "2");
	put(w, h, EIH_customsCode, "2928");
	put(w, h, EIH_ebpCode, ebp->code);
	put(w, h, EIH_ebpName, ebp->name);
	put(w, h, EIH_orderNo, o->order_no);
	put(w, h, EIH_logisticsCode, lg->code);
	put(w, h, EIH_logisticsName, lg->name);
	put(w, h, EIH_logisticsNo, o->wb_no);
	put(w, h, EIH_copNo, o->cop_no);
	put(w, h, EIH_ieFlag, "E");
	put(w, h, EIH_portCode, "2910");
	put_date(w, h, EIH_ieDate, o->t_doc[D603]);
	put(w, h, EIH_statisticsFlag, "B");
	put(w, h, EIH_agentCode, ag->code);
	put(w, h, EIH_agentName, ag->name);
	put(w, h, EIH_ebcCode, ebc->code);
	put(w, h, EIH_ebcName, ebc->name);
	put(w, h, EIH_ownerCode, ebc->code); /* the seller makes what it sells */
	put(w, h, EIH_ownerName, ebc->name);
	put(w, h, EIH_tradeMode, "9610");
	put(w, h, EIH_trafMode, "5");
	put(w, h, EIH_country, dest);
	put(w, h, EIH_POD, k_dest[o->dest].pod);
	put_money(w, h, EIH_freight, o->efreight);
	put(w, h, EIH_fCurrency, "142");
	put(w, h, EIH_fFlag, "3");
	put_money(w, h, EIH_insuredFee, 0);
	put(w, h, EIH_iCurrency, "142");
	put(w, h, EIH_iFlag, "3");
	put(w, h, EIH_wrapType, "2");
	put(w, h, EIH_packNo, "1");
	put_dec(w, h, EIH_grossWeight, o->gross);
	put_dec(w, h, EIH_netWeight, o->net);
	for (size_t j = 0; j < o->n; j++) {
		const struct oline *l = &o->l[j];
		const struct tariff_rate *t = l->sku->rate;
		struct ceb_node *x = add(w, inv, 1);
		put_uint(w, x, EIL_gnum, j + 1);
		put(w, x, EIL_itemNo, l->sku->item_no);
		put(w, x, EIL_itemName, l->sku->item_name);
		put(w, x, EIL_gcode, t->hs);
		put(w, x, EIL_gname, t->name);
		put(w, x, EIL_gmodel, l->sku->gmodel);
		put(w, x, EIL_barCode, "无");
		put(w, x, EIL_country, dest);
		put(w, x, EIL_currency, "502");
		put_uint(w, x, EIL_qty, l->q);
		put_dec(w, x, EIL_qty1, legal_qty(t->unit1, l->q, l->sku->weight));
		if (t->unit2[0])
			put_dec(w, x, EIL_qty2, legal_qty(t->unit2, l->q, l->sku->weight));
		put(w, x, EIL_unit, l->sku->unit);
		put(w, x, EIL_unit1, t->unit1);
		if (t->unit2[0])
			put(w, x, EIL_unit2, t->unit2);
		put_money(w, x, EIL_price, l->price);
		put_money(w, x, EIL_totalPrice, l->total);
	}
	base_transfer(w, root, GEN_T_603, ag);
}

/* A cancellation (623) or a return of one line (625) of a released list. */
static void render_followup(struct wctx *w, const struct order *o, const struct buyer *b,
                            bool refund)
{
	enum gen_type t = refund ? GEN_T_625 : GEN_T_623;
	struct ceb_node *root = msg_begin(w, t);
	const struct ent *ebp = &k_iebp[o->ebp], *ebc = &k_iebc[o->seller],
	                 *lg = &k_ilog[o->carrier];
	const struct ent *ag = &k_iagent[o->agent];
	struct ceb_node *ent = add(w, root, 0);
	struct ceb_node *h = refund ? add(w, ent, 0) : ent;
	char cop[32];
	snprintf(cop, sizeof cop, "%s%c%s%09llu", ag->tag, refund ? 'R' : 'C', w->g->yymmdd,
	         (unsigned long long)(o->idx + 1) % 1000000000ULL);
	/* InvtCancel and InvtRefundHead share their first fields in the same order */
	put_guid(w, h, refund ? IRH_guid : ICA_guid);
	put(w, h, refund ? IRH_appType : ICA_appType, "1");
	put_time(w, h, refund ? IRH_appTime : ICA_appTime,
	         o->t_doc[D621] + (refund ? 3 * 86400 : 86400) + (int64_t)(o->idx % 28800));
	put(w, h, refund ? IRH_appStatus : ICA_appStatus, "2");
	put(w, h, refund ? IRH_customsCode : ICA_customsCode, customs_of(o));
	put(w, h, refund ? IRH_orderNo : ICA_orderNo, o->order_no);
	put(w, h, refund ? IRH_ebpCode : ICA_ebpCode, ebp->code);
	put(w, h, refund ? IRH_ebpName : ICA_ebpName, ebp->name);
	put(w, h, refund ? IRH_ebcCode : ICA_ebcCode, ebc->code);
	put(w, h, refund ? IRH_ebcName : ICA_ebcName, ebc->name);
	put(w, h, refund ? IRH_logisticsNo : ICA_logisticsNo, o->wb_no);
	put(w, h, refund ? IRH_logisticsCode : ICA_logisticsCode, lg->code);
	put(w, h, refund ? IRH_logisticsName : ICA_logisticsName, lg->name);
	put(w, h, refund ? IRH_copNo : ICA_copNo, cop);
	put(w, h, refund ? IRH_invtNo : ICA_invtNo, GEN_INVTNO_PLACEHOLDER);
	put(w, h, refund ? IRH_buyerIdType : ICA_buyerIdType, "1");
	put(w, h, refund ? IRH_buyerIdNumber : ICA_buyerIdNumber, b->id);
	put(w, h, refund ? IRH_buyerName : ICA_buyerName, b->name);
	put(w, h, refund ? IRH_buyerTelephone : ICA_buyerTelephone, b->phone);
	put(w, h, refund ? IRH_agentCode : ICA_agentCode, ag->code);
	put(w, h, refund ? IRH_agentName : ICA_agentName, ag->name);
	put(w, h, refund ? IRH_reason : ICA_reason,
	    refund ? "消费者七天无理由退货" : "消费者取消订单，商品未出库");
	if (refund) {
		/* A return line's gnum names the list line it returns, but validate.c holds
		 * CEB625 lines to X-04 (gnum 1..n) too: return the first line, so both agree. */
		size_t j = 0;
		const struct oline *l = &o->l[j];
		struct ceb_node *x = add(w, ent, 1);
		put_uint(w, x, IRL_gnum, j + 1);
		put(w, x, IRL_gcode, l->sku->rate->hs);
		put(w, x, IRL_gname, l->sku->rate->name);
		put(w, x, IRL_qty, "1");
		put(w, x, IRL_unit, l->sku->unit);
	}
	base_transfer(w, root, t, ag);
	signature(w, root, t);
}

static enum gen_type doc_type(const struct order *o, int doc)
{
	static const enum gen_type imp[] = {GEN_T_311, GEN_T_411, GEN_T_511, GEN_T_621};
	static const enum gen_type exp[] = {GEN_T_303, GEN_T_505, GEN_T_603};
	return o->exp ? exp[doc] : imp[doc];
}

static const struct ent *doc_sender(const struct order *o, int doc)
{
	if (o->exp) {
		const struct ent *s[] = {&k_eebp[o->ebp], &k_elog[o->carrier], &k_eagent[o->agent]};
		return s[doc];
	}
	const struct ent *s[] = {&k_iebp[o->ebp], &k_ipay[o->pay], &k_ilog[o->carrier],
	                         &k_iagent[o->agent]};
	return s[doc];
}

static const char *ebp_code(const struct order *o)
{
	return o->exp ? k_eebp[o->ebp].code : k_iebp[o->ebp].code;
}

/* Write one document of an order at the end of g->bytes, at off for len bytes. */
static int render_doc(struct gen *g, const struct order *o, const struct buyer *b, int doc,
                      struct rng *r, uint32_t *off, uint32_t *len)
{
	static const struct ceb_write_opts wo = {true, true};
	arena_reset(g->msg);
	struct wctx w = {g, NULL, r, 0};
	if (o->exp) {
		if (doc == D303)
			render_303(&w, o);
		else if (doc == D505)
			render_505(&w, o);
		else
			render_603(&w, o);
	} else if (doc == 4 || doc == 5) {
		render_followup(&w, o, b, doc == 5);
	} else {
		switch (doc) {
		case D311:
			render_311(&w, o, b);
			break;
		case D411:
			render_411(&w, o, b);
			break;
		case D511:
			render_511(&w, o, b);
			break;
		default:
			render_621(&w, o, b);
			break;
		}
	}
	if (w.err)
		return w.err;
	size_t start = g->bytes.n;
	int rc = ceb_write(w.m, &wo, &g->bytes);
	if (rc)
		return rc;
	if (g->bytes.n - start > UINT32_MAX || start > UINT32_MAX)
		return CBEC_ETOOBIG;
	*off = (uint32_t)start;
	*len = (uint32_t)(g->bytes.n - start);
	if (!o->exp && doc < 4 && faulty(o, GEN_F_TRUNCATED, doc)) {
		/* F-01.1: the connection dropped; cut right after a '>' between 30 % and 90 % */
		uint32_t cut = *len * (30 + (o->fault_arg >> 8) % 61) / 100;
		while (cut > 1 && g->bytes.p[start + cut - 1] != '>')
			cut--;
		*len = cut;
	}
	return 0;
}

/* ---- blocks ---- */

static int add_slot(struct gen *g, struct slot s)
{
	if (g->nslots == g->capslots) {
		size_t nc = g->capslots ? g->capslots * 2 : 64;
		struct slot *p = realloc(g->slots, nc * sizeof *p);
		if (!p)
			return CBEC_ENOMEM;
		g->slots = p;
		g->capslots = nc;
	}
	g->slots[g->nslots++] = s;
	return 0;
}

static int add_followup(struct gen *g, uint64_t order, bool refund)
{
	if (g->nfu == g->capfu) {
		size_t nc = g->capfu ? g->capfu * 2 : 256;
		struct followup *p = realloc(g->fu, nc * sizeof *p);
		if (!p)
			return CBEC_ENOMEM;
		g->fu = p;
		g->capfu = nc;
	}
	g->fu[g->nfu++] = (struct followup){order, refund};
	return 0;
}

/* Expected outcomes of an import order's four documents, given whether its list would be
 * over the buyer's annual limit. */
static void expect_import(struct order *o)
{
	const char *ok = "ok";
	for (int d = 0; d < 4; d++)
		o->expect[d] = ok;
	const char *rule = gen_fault_rule((enum gen_fault)o->fault);
	switch (o->fault) {
	case GEN_F_NONE:
		break;
	case GEN_F_BUYER:
	case GEN_F_AMOUNT:
	case GEN_F_SINGLE:
		o->expect[D621] = rule;
		break;
	default:
		/* refused by the checks; a list without its order, payment or waybill times out */
		o->expect[o->fault_doc] = rule;
		if (o->fault_doc != D621)
			o->expect[D621] = ceb_rules[R_M_MISSING].id;
		break;
	}
}

/* Quota and follow-ups, in the order lists become complete in the stream. */
static int settle(struct gen *g, struct order *o)
{
	if (o->exp)
		return 0;
	expect_import(o);
	if (o->fault != GEN_F_NONE)
		return 0;
	if (o->short_stock) { /* refused before its quota is looked at */
		o->expect[D621] = ceb_rules[R_B_STOCK].id;
		return 0;
	}
	uint64_t cents = (uint64_t)(o->dutiable / (DEC_SCALE / 100));
	uint64_t limit = (uint64_t)(g->o.annual_limit / (DEC_SCALE / 100));
	if (g->quota[o->buyer] + cents > limit) {
		o->expect[D621] = ceb_rules[R_L_ANNUAL].id;
		return 0;
	}
	g->quota[o->buyer] += (uint32_t)cents;
	struct rng r;
	rng_init(&r, hash2(g->key[K_FOLLOW], o->idx));
	uint32_t x = rng_below(&r, 10000);
	if (x < g->o.cancel_bp)
		return add_followup(g, o->idx, false);
	if (x < g->o.cancel_bp + g->o.refund_bp)
		return add_followup(g, o->idx, true);
	return 0;
}

static int build_block(struct gen *g)
{
	buf_reset(&g->bytes);
	g->nslots = g->next_slot = 0;
	uint64_t left = g->o.orders - g->next_order;
	g->nord = left < g->o.window ? (size_t)left : g->o.window;
	struct rng br;
	rng_init(&br, hash2(g->key[K_BLOCK], g->block++));
	for (size_t k = 0; k < g->nord; k++) {
		struct order *o = &g->ord[k];
		build_order(g, g->next_order + k, o);
		struct buyer b, *bp = NULL;
		if (!o->exp) {
			build_buyer(g, o->buyer, o, &b);
			bp = &b;
			if (g->norders[o->buyer] < UINT16_MAX && ++g->norders[o->buyer] == 2)
				g->st.buyers_repeat++;
			if (o->bonded)
				g->st.orders_bonded++;
			else
				g->st.orders_direct++;
		} else {
			g->st.orders_export++;
		}
		struct rng dr;
		rng_init(&dr, hash2(g->key[K_DOCS], o->idx));
		for (int d = 0; d < o->ndocs; d++) {
			struct slot s = {0};
			int rc = render_doc(g, o, bp, d, &dr, &s.off, &s.len);
			if (rc)
				return rc;
			s.ord = (uint16_t)k;
			s.doc = (uint8_t)d;
			s.type = (int16_t)gen_type_code[doc_type(o, d)];
			if (!o->exp && o->fault && o->fault_doc == d)
				s.fault = o->fault;
			if ((rc = add_slot(g, s)))
				return rc;
			/* a sender that timed out sends the same bytes again */
			if (!s.fault && rng_bp(&br, g->o.resend_bp)) {
				s.resend = true;
				if ((rc = add_slot(g, s)))
					return rc;
			}
		}
	}
	g->next_order += g->nord;
	int src = block_stock(g);
	if (src)
		return src;
	/* arrival order: a shuffle of the block, a resend after its first copy */
	for (size_t i = g->nslots; i > 1; i--) {
		size_t j = rng_below(&br, (uint32_t)i);
		struct slot t = g->slots[i - 1];
		g->slots[i - 1] = g->slots[j];
		g->slots[j] = t;
	}
	for (size_t p = 0; p < g->nslots; p++) {
		if (!g->slots[p].resend)
			continue;
		for (size_t q = p + 1; q < g->nslots; q++) {
			struct slot *a = &g->slots[p], *c = &g->slots[q];
			if (!c->resend && c->off == a->off) {
				struct slot t = *a;
				*a = *c;
				*c = t;
				break;
			}
		}
	}
	/* settle each order when its last document has arrived */
	size_t done[4096];
	for (size_t k = 0; k < g->nord; k++)
		done[k] = 0;
	for (size_t p = 0; p < g->nslots; p++)
		if (!g->slots[p].resend)
			done[g->slots[p].ord] = p;
	for (size_t p = 0; p < g->nslots; p++) {
		const struct slot *s = &g->slots[p];
		if (s->resend || done[s->ord] != p)
			continue;
		int rc = settle(g, &g->ord[s->ord]);
		if (rc)
			return rc;
	}
	for (size_t p = 0; p < g->nslots; p++) {
		struct slot *s = &g->slots[p];
		const struct order *o = &g->ord[s->ord];
		s->expect = s->resend ? "resend" : o->exp ? "ok" : o->expect[s->doc];
	}
	return 0;
}

/* ---- the generator ---- */

struct gen *gen_new(const struct gen_opts *o, const struct tariff *t)
{
	char why[128];
	if (!o || !t || gen_opts_check(o, why, sizeof why))
		return NULL;
	struct gen *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->o = *o;
	g->tariff = t;
	for (int k = 0; k < K__N; k++)
		g->key[k] = hash2(o->seed, 0xCEB0000000000000ULL + (uint64_t)k);
	g->buyers = o->buyers ? o->buyers : o->orders / 3;
	if (g->buyers < 1)
		g->buyers = 1;
	int y = (o->day[0] - '0') * 1000 + (o->day[1] - '0') * 100 + (o->day[2] - '0') * 10 +
	        (o->day[3] - '0');
	unsigned m = (unsigned)((o->day[4] - '0') * 10 + (o->day[5] - '0'));
	unsigned d = (unsigned)((o->day[6] - '0') * 10 + (o->day[7] - '0'));
	g->day_start = days_from_civil(y, m, d) * 86400;
	memcpy(g->yymmdd, o->day + 2, 6);
	/* P(fault | import order) so that faulty messages are faulty_bp of all messages */
	uint64_t e = o->export_bp;
	if (e < 10000) {
		uint64_t avg = (10000 - e) * 4 + e * 3;
		uint64_t p =
		    (uint64_t)o->faulty_bp * avg * (10000 + o->resend_bp) / ((10000 - e) * 10000);
		g->fault_order_bp = (uint32_t)(p > 10000 ? 10000 : p);
	}
	for (int k = 0; k < GEN_T__N; k++) {
		const struct ceb_msgtype *mt = ceb_msgtype_by_code(gen_type_code[k]);
		if (!mt)
			goto fail;
		g->type[k] = mt;
		g->kid_bt[k] = ceb_def_kid(mt->def, "BaseTransfer", 12);
		g->kid_sig[k] = ceb_def_kid(mt->def, "Signature", 9);
	}
	g->keep = arena_new(1 << 16);
	g->msg = arena_new(1 << 16);
	g->ord = calloc(o->window, sizeof *g->ord);
	g->quota = calloc(g->buyers, sizeof *g->quota);
	g->norders = calloc(g->buyers, sizeof *g->norders);
	if (!g->keep || !g->msg || !g->ord || !g->quota || !g->norders)
		goto fail;
	if (build_catalogue(g))
		goto fail;
	return g;
fail:
	gen_free(g);
	return NULL;
}

void gen_free(struct gen *g)
{
	if (!g)
		return;
	arena_free(g->keep);
	arena_free(g->msg);
	free(g->skus);
	free(g->dear);
	free(g->ord);
	free(g->quota);
	free(g->norders);
	free(g->slots);
	free(g->fu);
	free(g->stock);
	buf_free(&g->bytes);
	free(g);
}

static void count(struct gen *g, const struct gen_msg *m, enum gen_fault fault)
{
	g->st.messages++;
	g->st.bytes += m->len;
	for (int k = 0; k < GEN_T__N; k++)
		if (gen_type_code[k] == m->type)
			g->st.by_type[k]++;
	if (fault != GEN_F_NONE) {
		g->st.faulty++;
		g->st.by_fault[fault]++;
	}
	if (!strcmp(m->expect, "resend"))
		g->st.resends++;
	else if (!strcmp(m->expect, ceb_rules[R_L_ANNUAL].id))
		g->st.over_annual++;
	else if (!strcmp(m->expect, ceb_rules[R_B_STOCK].id))
		g->st.short_stock++;
	else if (!strcmp(m->expect, ceb_rules[R_M_MISSING].id))
		g->st.unmatched++;
	if (m->followup)
		g->st.followups++;
}

static int next_followup(struct gen *g, struct gen_msg *out)
{
	if (g->next_fu >= g->nfu)
		return 0;
	const struct followup *f = &g->fu[g->next_fu++];
	struct order *o = &g->fu_ord;
	build_order(g, f->order, o);
	struct buyer b;
	build_buyer(g, o->buyer, o, &b);
	struct rng r;
	rng_init(&r, hash2(g->key[K_FOLLOW] ^ 0xF0F0, o->idx));
	buf_reset(&g->bytes);
	g->nslots = g->next_slot = 0;
	uint32_t off, len;
	int rc = render_doc(g, o, &b, f->refund ? 5 : 4, &r, &off, &len);
	if (rc)
		return rc;
	memset(out, 0, sizeof *out);
	out->xml = g->bytes.p + off;
	out->len = len;
	out->type = f->refund ? 625 : 623;
	out->seq = ++g->fu_seq;
	out->order = o->idx;
	out->order_no = o->order_no;
	out->ebp_code = ebp_code(o);
	out->sender = k_iagent[o->agent].code;
	out->expect = "ok";
	out->followup = true;
	count(g, out, GEN_F_NONE);
	return 1;
}

int gen_next(struct gen *g, struct gen_msg *out)
{
	if (g->err)
		return g->err;
	while (g->next_slot >= g->nslots) {
		if (g->next_order >= g->o.orders) {
			int rc = next_followup(g, out);
			if (rc < 0)
				g->err = rc;
			return rc;
		}
		int rc = build_block(g);
		if (rc)
			return g->err = rc;
	}
	const struct slot *s = &g->slots[g->next_slot++];
	const struct order *o = &g->ord[s->ord];
	memset(out, 0, sizeof *out);
	out->xml = g->bytes.p + s->off;
	out->len = s->len;
	out->type = s->type;
	out->seq = ++g->seq;
	out->order = o->idx;
	out->order_no = o->order_no;
	out->ebp_code = ebp_code(o);
	out->sender = doc_sender(o, s->doc)->code;
	out->expect = s->expect;
	enum gen_fault f = s->resend ? GEN_F_NONE : (enum gen_fault)s->fault;
	out->fault = f ? gen_fault_rule(f) : NULL;
	count(g, out, f);
	return 1;
}

void gen_stats(const struct gen *g, struct gen_stats *s)
{
	*s = g->st;
}
