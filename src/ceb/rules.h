/* The rule catalogue: every check the platform makes has a stable id (from
 * shared/domain/rules.md where it names one), a layer, a default severity and a sentence in
 * Chinese and English. `cbec rules` prints this table; findings point into it. */
#ifndef CEB_RULES_H
#define CEB_RULES_H

#include <stddef.h>

enum ceb_layer {
	CEB_L_XML,       /* well-formed, safe, UTF-8 input */
	CEB_L_STRUCTURE, /* elements, order, occurrences as the schema says */
	CEB_L_FORMAT,    /* field formats and code tables */
	CEB_L_ARITH,     /* identities inside one message */
	CEB_L_SIGNATURE, /* XML-DSig */
	CEB_L_MATCH,     /* three-document matching across messages */
	CEB_L_LIMIT,     /* tax and the buyer's limits */
	CEB_L_STATE,     /* document life cycle: versions, cancels, returns, time limits */
};

enum ceb_sev { CEB_SEV_ERROR, CEB_SEV_WARN, CEB_SEV_OFF };

/* R(enum, id, layer, severity, zh, en) */
#define CEB_RULE_TABLE(R)                                                                          \
	R(R_XML_MALFORMED, "F-01.1", XML, ERROR, "报文不是格式正确的XML", "the message is not well-formed XML") \
	R(R_XML_ENCODING, "F-01.2", XML, ERROR, "报文必须为UTF-8编码", "the message must be encoded in UTF-8") \
	R(R_XML_DTD, "F-01.3", XML, ERROR, "报文不得包含DTD或实体声明", "DTDs and entity declarations are not allowed") \
	R(R_XML_LIMIT, "F-01.4", XML, ERROR, "报文超出大小、层级或元素数量限制", "the message exceeds the size, depth or element-count limit") \
	R(R_ROOT, "F-01.5", STRUCTURE, ERROR, "根元素须为海关命名空间下已知的CEB报文", "the root must be a known CEB message in the customs namespace") \
	R(R_UNKNOWN_ELEM, "F-01.6", STRUCTURE, ERROR, "出现报文规范未定义的元素", "an element the schema does not define here") \
	R(R_MISSING_ELEM, "F-01.7", STRUCTURE, ERROR, "缺少必填元素或必填元素为空", "a required element is missing or empty") \
	R(R_TOO_MANY, "F-01.8", STRUCTURE, ERROR, "元素出现次数超过规范允许", "an element occurs more often than the schema allows") \
	R(R_ORDER, "F-01.9", STRUCTURE, ERROR, "元素顺序与规范不符", "elements are not in schema order") \
	R(R_MIXED, "F-01.10", STRUCTURE, ERROR, "出现不允许的文本或子元素", "text or child elements where none are allowed") \
	R(R_LENGTH, "F-01.11", FORMAT, ERROR, "字段长度不符合规范", "field length outside the schema's bounds") \
	R(R_NUMBER, "F-01.12", FORMAT, ERROR, "数值格式或位数不符合规范", "number syntax or digits outside the schema's bounds") \
	R(R_ATTR, "F-01.13", STRUCTURE, ERROR, "根元素缺少guid或version属性", "the root lacks its guid or version attribute") \
	R(R_GUID, "F-02", FORMAT, ERROR, "guid须为36位大写UUID", "guid must be a 36-character upper-case UUID") \
	R(R_VERSION, "F-03", FORMAT, ERROR, "报文版本号须为1至10位", "version must be 1 to 10 characters") \
	R(R_DATE, "F-04", FORMAT, ERROR, "日期时间须为真实日期且格式正确", "dates must be real calendar dates in the stated format") \
	R(R_SIGN, "F-05", FORMAT, ERROR, "金额与数量不得为负数或带符号", "amounts and quantities carry no sign and are never negative") \
	R(R_DXP, "F-06", FORMAT, ERROR, "传输方式dxpMode须为DXP", "dxpMode must be DXP") \
	R(R_SIG_MISSING, "F-07.1", SIGNATURE, ERROR, "报文须带数字签名", "the message must carry an XML signature") \
	R(R_SIG_MALFORMED, "F-07.2", SIGNATURE, ERROR, "数字签名结构不正确", "the signature block is malformed") \
	R(R_SIG_ALGO, "F-07.3", SIGNATURE, ERROR, "不支持的签名、摘要或规范化算法", "unsupported signature, digest or canonicalization algorithm") \
	R(R_SIG_DIGEST, "F-07.4", SIGNATURE, ERROR, "签名摘要与报文内容不符", "the signed digest does not match the message") \
	R(R_SIG_VALUE, "F-07.5", SIGNATURE, ERROR, "签名值验证失败", "the signature value does not verify") \
	R(R_SIG_CERT, "F-07.6", SIGNATURE, ERROR, "签名证书无效、过期或不受信任", "the signing certificate is invalid, expired or not trusted") \
	R(R_SIG_NOKEY, "F-07.7", SIGNATURE, WARN, "无法取得验签公钥，签名未验证", "no key to verify the signature with; it was not verified") \
	R(R_LIMIT_COUNT, "F-08", STRUCTURE, ERROR, "报文业务数据或商品项超过上限", "too many business entities or goods lines in one message") \
	R(R_APPTYPE, "P-01", FORMAT, ERROR, "报送类型appType须为1、2或3", "appType must be 1 (new), 2 (change) or 3 (delete)") \
	R(R_APPSTATUS, "P-02", FORMAT, ERROR, "业务状态appStatus须为1或2", "appStatus must be 1 (save) or 2 (declare)") \
	R(R_RETSTATUS, "P-03", FORMAT, ERROR, "回执状态须为规范列出的状态码", "returnStatus must be a status code the spec lists") \
	R(R_CURRENCY_CNY, "I-01", FORMAT, ERROR, "进口币制须为人民币142", "import currency must be 142 (CNY)") \
	R(R_IDTYPE, "I-02", FORMAT, ERROR, "证件类型须为1（身份证）", "ID type must be 1 (resident ID card)") \
	R(R_IDNUMBER, "I-02.1", FORMAT, ERROR, "身份证号码格式或校验位错误", "resident ID number has a wrong format or check digit") \
	R(R_IEFLAG, "I-03", FORMAT, ERROR, "订单类型或进出口标记与业务方向不符", "orderType or ieFlag does not match the direction") \
	R(R_PACKNO, "I-04", FORMAT, ERROR, "进口运单和清单件数须为1", "import waybills and lists carry exactly one parcel") \
	R(R_LOGSTATUS, "I-05", FORMAT, ERROR, "运单状态须为S（签收）", "logisticsStatus must be S (signed for)") \
	R(R_TRADEMODE, "I-06", FORMAT, ERROR, "进口清单贸易方式须为9610或1210", "import list tradeMode must be 9610 or 1210") \
	R(R_BONDED, "I-07", FORMAT, ERROR, "1210清单须填账册、区内企业及备案料号，起运国142", "a 1210 list needs emsNo, areaCode/areaName, itemRecordNo and country 142") \
	R(R_DIRECT, "I-08", FORMAT, ERROR, "9610清单须填运输工具、航次、提运单号，起运国非142", "a 9610 list needs trafNo, voyageNo, billNo and a foreign country") \
	R(R_CUSTOMS, "I-09", FORMAT, ERROR, "关区代码不在海关关区代码表中", "customs code is not in the customs district table") \
	R(R_CODE, "I-10", FORMAT, ERROR, "国家、币制或计量单位代码不在代码表中", "country, currency or unit code not in the customs code tables") \
	R(R_HS, "I-11", FORMAT, ERROR, "商品编码须为10位数字", "gcode must be a 10-digit HS code") \
	R(R_QTY2, "I-12", FORMAT, ERROR, "第二数量与第二计量单位须同时填写", "qty2 and unit2 go together, qty2 above zero") \
	R(R_WEIGHT, "I-13", FORMAT, ERROR, "毛重须不小于净重且净重大于0", "grossWeight must be at least netWeight, netWeight above zero") \
	R(R_BARCODE, "I-14", FORMAT, WARN, "无条形码时应填写“无”", "barCode should read 无 when the goods have none") \
	R(R_DISTRICT, "I-15", FORMAT, ERROR, "收货地址行政区划代码须为6位数字", "consigneeDistrict must be 6 digits") \
	R(R_E_ORDERTYPE, "E-01", FORMAT, ERROR, "出口订单类型须为E、B或W", "export orderType must be E, B or W") \
	R(R_E_TRADEMODE, "E-02", FORMAT, ERROR, "出口清单贸易方式须为9610、1210、1239、9710或9810，进出口标记为E", "export list tradeMode must be 9610, 1210, 1239, 9710 or 9810, ieFlag E") \
	R(R_E_STATFLAG, "E-03", FORMAT, ERROR, "申报业务类型须为A或B", "statisticsFlag must be A or B") \
	R(R_E_FEEFLAG, "E-04", FORMAT, ERROR, "运费/保费标志须为3（总价，规范固定值），指运港3至4位", "fFlag/iFlag must be 3 (total, fixed by the schema) and POD 3-4 characters") \
	R(R_E_BONDED, "E-06", FORMAT, ERROR, "1210出口清单须填账册、区内企业及备案料号", "a 1210 export list needs emsNo, iacCode/iacName and itemRecordNo") \
	R(R_PAID, "X-01", ARITH, ERROR, "实际支付金额须等于商品价格+运杂费+代扣税款-非现金抵扣金额", "acturalPaid must equal goodsValue + freight + taxTotal - discount") \
	R(R_LINE_TOTAL, "X-02", ARITH, ERROR, "商品总价须等于单价乘以数量", "a line's totalPrice must equal price x qty") \
	R(R_GOODS_SUM, "X-03", ARITH, WARN, "商品总价之和应等于商品价格", "the lines' totalPrice should add up to goodsValue") \
	R(R_GNUM, "X-04", ARITH, ERROR, "商品序号须从1开始连续且不重复", "gnum must run 1..n without gaps or repeats") \
	R(R_PERIOD, "X-06", ARITH, ERROR, "汇总开始和结束时间须同时填写且结束不早于开始", "startTime and endTime go together and end is not before start") \
	R(R_MSGSEQ, "X-07", ARITH, ERROR, "报文序号须在1至报文总数之间", "msgSeqNo must lie between 1 and msgCount") \
	R(R_X_INV_SUM, "X-05", MATCH, WARN, "清单商品总价之和应等于订单商品价格", "the list lines' totalPrice should add up to the order's goodsValue") \
	R(R_OLD, "X-08", STATE, ERROR, "变更报文的报送时间须晚于已存数据", "a change must be newer (appTime) than the stored version") \
	R(R_M_ORDER, "M-01", MATCH, ERROR, "清单对应的订单不存在或电商企业不一致", "no order for the list, or its ebcCode differs") \
	R(R_M_PAYMENT, "M-02", MATCH, ERROR, "清单对应的支付单不存在或支付企业、交易编号不一致", "no payment for the list, or its payCode/payTransactionId differ from the order's") \
	R(R_M_WAYBILL, "M-03", MATCH, ERROR, "清单对应的运单不存在或订单编号不一致", "no waybill for the list, or its orderNo differs") \
	R(R_M_AMOUNT, "M-04", MATCH, ERROR, "支付金额须等于订单实际支付金额", "amountPaid must equal the order's acturalPaid") \
	R(R_M_BUYER, "M-05", MATCH, ERROR, "清单订购人信息须与订单一致", "the list's buyer must equal the order's") \
	R(R_M_PAYER, "M-06", MATCH, ERROR, "支付人须与订购人为同一人", "the payer must be the buyer") \
	R(R_M_CONSIGNEE, "M-07", MATCH, ERROR, "运单收货人信息须与订单一致", "the waybill's consignee must equal the order's") \
	R(R_M_GOODS, "M-08", MATCH, ERROR, "清单商品须与订单商品逐项一致", "the list's goods must equal the order's, line by line") \
	R(R_M_PARTIES, "M-09", MATCH, ERROR, "各单据中的企业名称须一致", "the enterprise names must agree across the documents") \
	R(R_M_USED, "M-10", MATCH, ERROR, "单据已被申报的清单使用，不可变更或删除", "the document is used by a declared list and cannot change") \
	R(R_M_DUP, "M-11", MATCH, ERROR, "单据编号重复", "a document with this number already exists") \
	R(R_M_MISSING, "P-04", MATCH, ERROR, "等待超时：缺少对碰单据", "timed out waiting for the documents to match") \
	R(R_HS_TARIFF, "I-11.1", LIMIT, ERROR, "商品编码不在税则表中，无法计税", "gcode is not in the tariff table, so no tax can be assessed") \
	R(R_L_SINGLE, "L-01", LIMIT, ERROR, "超过单次交易限值5000元", "over the single-transaction limit of 5,000 CNY") \
	R(R_L_ANNUAL, "L-02", LIMIT, ERROR, "超过个人年度交易限值26000元", "over the buyer's annual limit of 26,000 CNY") \
	R(R_T_SPECIFIC, "T-03", LIMIT, ERROR, "从量计征消费税的商品不适用跨境电商综合税公式", "goods with a specific consumption tax fall outside the retail tax formula") \
	R(R_NO_DOC, "P-05", STATE, ERROR, "变更或删除的单据不存在", "a change or deletion of a document the platform does not have") \
	R(R_SENDER, "P-06", STATE, ERROR, "报文发送企业与登录身份不符", "the message's copCode is not the enterprise that sent it") \
	R(R_D_CANCEL, "D-03", STATE, ERROR, "清单状态不允许撤销", "the list's state does not allow a cancellation") \
	R(R_D_REFUND, "D-04", STATE, ERROR, "退货商品须为已放行清单中的商品且数量不超过原数量", "returned goods must be lines of a released list, qty not above the original") \
	R(R_D_REFUND_TIME, "D-01", STATE, ERROR, "退货申请须在放行后30日内提出", "a return must be applied for within 30 days of release") \
	R(R_B_RECORD, "B-01", MATCH, ERROR, "1210清单商品须与账册备案一致（账册、料号、商品编码、名称、计量单位，区内企业为账册企业）", "a 1210 list line must match its bonded account record (emsNo, itemRecordNo, gcode, gname, unit; areaCode owns the account)") \
	R(R_B_STOCKIN, "B-02", STATE, ERROR, "一线进区入库须由账册所属企业申报，同一进境单据同一料号只入库一次", "a first-line stock-in comes from the account's warehouse enterprise; one entry credits an item once") \
	R(R_B_STOCK, "B-04", LIMIT, ERROR, "账册可用数量（结存-预扣-已核扣）不足", "not enough stock in the bonded account (balance - reserved - committed)") \
	R(R_S_FLAG, "S-01", MATCH, ERROR, "汇总申报的清单须为9610出口清单且申报业务类型为B（A类清单只汇总统计）", "a summarised list must be a 9610 export list with statisticsFlag B (A lists are only counted)") \
	R(R_S_LIST, "S-02", STATE, ERROR, "汇总的清单须为该收发货人已放行、未在其他汇总申请中的出口清单", "a summarised list must be a released export list of the shipper that is in no other summary") \
	R(R_S_APPLY, "S-03", STATE, ERROR, "汇总申请须为新增并列明清单，汇总标志为1或2，按商品名汇总标志为1或0", "a summary application is new (appType 1), lists its lists, summaryFlag 1 or 2, itemNameFlag 1 or 0")

enum ceb_rule_id {
#define CEB_RULE_ENUM(e, ...) e,
	CEB_RULE_TABLE(CEB_RULE_ENUM)
#undef CEB_RULE_ENUM
	CEB_RULE__N
};

struct ceb_rule {
	const char *id;
	enum ceb_layer layer;
	enum ceb_sev severity; /* default; a ceb_policy may override it */
	const char *zh, *en;
};

extern const struct ceb_rule ceb_rules[CEB_RULE__N];

const char *ceb_layer_name(enum ceb_layer l);
const char *ceb_sev_name(enum ceb_sev s);
/* Rule by its id text ("X-01"), or -1. */
int ceb_rule_find(const char *id);

#endif
