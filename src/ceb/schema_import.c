/* Import-side CEB message tables, written from the 2022 customs schema (ceb-import-2022.xsd).
 * Records list their fields through fields.h; groups give each element's children with
 * their occurrence bounds, in schema order. */
#include "ceb/schema.h"

static const struct ceb_field f_IMR[] = {CEB_FIELDS_IMR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IMR = {"MessageReturn", CEB_K_RECORD, f_IMR, IMR__N, NULL, 0};
static const struct ceb_field f_ITS[] = {CEB_FIELDS_ITS(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ITS = {"TaxHeadStatus", CEB_K_RECORD, f_ITS, ITS__N, NULL, 0};
static const struct ceb_field f_ITH[] = {CEB_FIELDS_ITH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ITH = {"TaxHeadRd", CEB_K_RECORD, f_ITH, ITH__N, NULL, 0};
static const struct ceb_field f_ITL[] = {CEB_FIELDS_ITL(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ITL = {"TaxListRd", CEB_K_RECORD, f_ITL, ITL__N, NULL, 0};
static const struct ceb_field f_IOH[] = {CEB_FIELDS_IOH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IOH = {"OrderHead", CEB_K_RECORD, f_IOH, IOH__N, NULL, 0};
static const struct ceb_field f_IOL[] = {CEB_FIELDS_IOL(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IOL = {"OrderList", CEB_K_RECORD, f_IOL, IOL__N, NULL, 0};
static const struct ceb_field f_IOR[] = {CEB_FIELDS_IOR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IOR = {"OrderReturn", CEB_K_RECORD, f_IOR, IOR__N, NULL, 0};
static const struct ceb_field f_IPH[] = {CEB_FIELDS_IPH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IPH = {"PaymentHead", CEB_K_RECORD, f_IPH, IPH__N, NULL, 0};
static const struct ceb_field f_IPR[] = {CEB_FIELDS_IPR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IPR = {"PaymentReturn", CEB_K_RECORD, f_IPR, IPR__N, NULL, 0};
static const struct ceb_field f_ILH[] = {CEB_FIELDS_ILH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ILH = {"LogisticsHead", CEB_K_RECORD, f_ILH, ILH__N, NULL, 0};
static const struct ceb_field f_ILR[] = {CEB_FIELDS_ILR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ILR = {"LogisticsReturn", CEB_K_RECORD, f_ILR, ILR__N, NULL, 0};
static const struct ceb_field f_ILS[] = {CEB_FIELDS_ILS(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ILS = {"LogisticsStatus", CEB_K_RECORD, f_ILS, ILS__N, NULL, 0};
static const struct ceb_field f_ILSR[] = {CEB_FIELDS_ILSR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ILSR = {"LogisticsStatusReturn", CEB_K_RECORD, f_ILSR, ILSR__N, NULL, 0};
static const struct ceb_field f_IIH[] = {CEB_FIELDS_IIH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IIH = {"InventoryHead", CEB_K_RECORD, f_IIH, IIH__N, NULL, 0};
static const struct ceb_field f_IIL[] = {CEB_FIELDS_IIL(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IIL = {"InventoryList", CEB_K_RECORD, f_IIL, IIL__N, NULL, 0};
static const struct ceb_field f_IIR[] = {CEB_FIELDS_IIR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IIR = {"InventoryReturn", CEB_K_RECORD, f_IIR, IIR__N, NULL, 0};
static const struct ceb_field f_ICA[] = {CEB_FIELDS_ICA(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ICA = {"InvtCancel", CEB_K_RECORD, f_ICA, ICA__N, NULL, 0};
static const struct ceb_field f_ICAR[] = {CEB_FIELDS_ICAR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ICAR = {"InvtCancelReturn", CEB_K_RECORD, f_ICAR, ICAR__N, NULL, 0};
static const struct ceb_field f_IRH[] = {CEB_FIELDS_IRH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IRH = {"InvtRefundHead", CEB_K_RECORD, f_IRH, IRH__N, NULL, 0};
static const struct ceb_field f_IRL[] = {CEB_FIELDS_IRL(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IRL = {"InvtRefundList", CEB_K_RECORD, f_IRL, IRL__N, NULL, 0};
static const struct ceb_field f_IRR[] = {CEB_FIELDS_IRR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IRR = {"InvtRefundReturn", CEB_K_RECORD, f_IRR, IRR__N, NULL, 0};
static const struct ceb_field f_IDH[] = {CEB_FIELDS_IDH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IDH = {"DeliveryHead", CEB_K_RECORD, f_IDH, IDH__N, NULL, 0};
static const struct ceb_field f_IDL[] = {CEB_FIELDS_IDL(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IDL = {"DeliveryList", CEB_K_RECORD, f_IDL, IDL__N, NULL, 0};
static const struct ceb_field f_IDR[] = {CEB_FIELDS_IDR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IDR = {"DeliveryReturn", CEB_K_RECORD, f_IDR, IDR__N, NULL, 0};
static const struct ceb_field f_IBT[] = {CEB_FIELDS_IBT(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_IBT = {"BaseTransfer", CEB_K_RECORD, f_IBT, IBT__N, NULL, 0};
static const struct ceb_child k_g_m311_Order[] = {
	{&ceb_def_IOH, 1, 1},
	{&ceb_def_IOL, 1, 99},
};
static const struct ceb_def g_m311_Order = {"Order", CEB_K_GROUP, NULL, 0, k_g_m311_Order, 2};
static const struct ceb_child k_g_m311_CEB311Message[] = {
	{&g_m311_Order, 1, 100},
	{&ceb_def_IBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_EXT, 0, 1},
	{&ceb_def_SIG, 0, 1},
};
static const struct ceb_def g_m311_CEB311Message = {"CEB311Message", CEB_K_GROUP, NULL, 0, k_g_m311_CEB311Message, 5};
static const struct ceb_child k_g_m312_CEB312Message[] = {
	{&ceb_def_IOR, 1, 100},
};
static const struct ceb_def g_m312_CEB312Message = {"CEB312Message", CEB_K_GROUP, NULL, 0, k_g_m312_CEB312Message, 1};
static const struct ceb_child k_g_m411_Payment[] = {
	{&ceb_def_IPH, 1, 1},
};
static const struct ceb_def g_m411_Payment = {"Payment", CEB_K_GROUP, NULL, 0, k_g_m411_Payment, 1};
static const struct ceb_child k_g_m411_CEB411Message[] = {
	{&g_m411_Payment, 1, 100},
	{&ceb_def_IBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_EXT, 0, 1},
	{&ceb_def_SIG, 0, 1},
};
static const struct ceb_def g_m411_CEB411Message = {"CEB411Message", CEB_K_GROUP, NULL, 0, k_g_m411_CEB411Message, 5};
static const struct ceb_child k_g_m412_CEB412Message[] = {
	{&ceb_def_IPR, 1, 100},
};
static const struct ceb_def g_m412_CEB412Message = {"CEB412Message", CEB_K_GROUP, NULL, 0, k_g_m412_CEB412Message, 1};
static const struct ceb_child k_g_m511_Logistics[] = {
	{&ceb_def_ILH, 1, 1},
};
static const struct ceb_def g_m511_Logistics = {"Logistics", CEB_K_GROUP, NULL, 0, k_g_m511_Logistics, 1};
static const struct ceb_child k_g_m511_CEB511Message[] = {
	{&g_m511_Logistics, 1, 100},
	{&ceb_def_IBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_EXT, 0, 1},
	{&ceb_def_SIG, 0, 1},
};
static const struct ceb_def g_m511_CEB511Message = {"CEB511Message", CEB_K_GROUP, NULL, 0, k_g_m511_CEB511Message, 5};
static const struct ceb_child k_g_m512_CEB512Message[] = {
	{&ceb_def_ILR, 1, 100},
};
static const struct ceb_def g_m512_CEB512Message = {"CEB512Message", CEB_K_GROUP, NULL, 0, k_g_m512_CEB512Message, 1};
static const struct ceb_child k_g_m513_CEB513Message[] = {
	{&ceb_def_ILS, 1, 100},
	{&ceb_def_IBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_EXT, 0, 1},
	{&ceb_def_SIG, 0, 1},
};
static const struct ceb_def g_m513_CEB513Message = {"CEB513Message", CEB_K_GROUP, NULL, 0, k_g_m513_CEB513Message, 5};
static const struct ceb_child k_g_m514_CEB514Message[] = {
	{&ceb_def_ILSR, 1, 100},
};
static const struct ceb_def g_m514_CEB514Message = {"CEB514Message", CEB_K_GROUP, NULL, 0, k_g_m514_CEB514Message, 1};
static const struct ceb_child k_g_m621_Inventory[] = {
	{&ceb_def_IIH, 1, 1},
	{&ceb_def_IIL, 1, 99},
};
static const struct ceb_def g_m621_Inventory = {"Inventory", CEB_K_GROUP, NULL, 0, k_g_m621_Inventory, 2};
static const struct ceb_child k_g_m621_CEB621Message[] = {
	{&g_m621_Inventory, 1, 100},
	{&ceb_def_IBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_EXT, 0, 1},
	{&ceb_def_SIG, 1, 1},
};
static const struct ceb_def g_m621_CEB621Message = {"CEB621Message", CEB_K_GROUP, NULL, 0, k_g_m621_CEB621Message, 5};
static const struct ceb_child k_g_m622_CEB622Message[] = {
	{&ceb_def_IIR, 1, 100},
};
static const struct ceb_def g_m622_CEB622Message = {"CEB622Message", CEB_K_GROUP, NULL, 0, k_g_m622_CEB622Message, 1};
static const struct ceb_child k_g_m623_CEB623Message[] = {
	{&ceb_def_ICA, 1, 100},
	{&ceb_def_IBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_EXT, 0, 1},
	{&ceb_def_SIG, 1, 1},
};
static const struct ceb_def g_m623_CEB623Message = {"CEB623Message", CEB_K_GROUP, NULL, 0, k_g_m623_CEB623Message, 5};
static const struct ceb_child k_g_m624_CEB624Message[] = {
	{&ceb_def_ICAR, 1, 100},
};
static const struct ceb_def g_m624_CEB624Message = {"CEB624Message", CEB_K_GROUP, NULL, 0, k_g_m624_CEB624Message, 1};
static const struct ceb_child k_g_m625_InvtRefund[] = {
	{&ceb_def_IRH, 1, 1},
	{&ceb_def_IRL, 1, 99},
};
static const struct ceb_def g_m625_InvtRefund = {"InvtRefund", CEB_K_GROUP, NULL, 0, k_g_m625_InvtRefund, 2};
static const struct ceb_child k_g_m625_CEB625Message[] = {
	{&g_m625_InvtRefund, 1, 100},
	{&ceb_def_IBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_EXT, 0, 1},
	{&ceb_def_SIG, 1, 1},
};
static const struct ceb_def g_m625_CEB625Message = {"CEB625Message", CEB_K_GROUP, NULL, 0, k_g_m625_CEB625Message, 5};
static const struct ceb_child k_g_m626_CEB626Message[] = {
	{&ceb_def_IRR, 1, 100},
};
static const struct ceb_def g_m626_CEB626Message = {"CEB626Message", CEB_K_GROUP, NULL, 0, k_g_m626_CEB626Message, 1};
static const struct ceb_child k_g_m711_Delivery[] = {
	{&ceb_def_IDH, 1, 1},
	{&ceb_def_IDL, 1, 65535},
};
static const struct ceb_def g_m711_Delivery = {"Delivery", CEB_K_GROUP, NULL, 0, k_g_m711_Delivery, 2};
static const struct ceb_child k_g_m711_CEB711Message[] = {
	{&g_m711_Delivery, 1, 1},
	{&ceb_def_IBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_EXT, 0, 1},
	{&ceb_def_SIG, 1, 1},
};
static const struct ceb_def g_m711_CEB711Message = {"CEB711Message", CEB_K_GROUP, NULL, 0, k_g_m711_CEB711Message, 5};
static const struct ceb_child k_g_m712_CEB712Message[] = {
	{&ceb_def_IDR, 1, 100},
};
static const struct ceb_def g_m712_CEB712Message = {"CEB712Message", CEB_K_GROUP, NULL, 0, k_g_m712_CEB712Message, 1};
static const struct ceb_child k_g_m816_Tax[] = {
	{&ceb_def_ITH, 1, 1},
	{&ceb_def_ITL, 1, 99},
};
static const struct ceb_def g_m816_Tax = {"Tax", CEB_K_GROUP, NULL, 0, k_g_m816_Tax, 2};
static const struct ceb_child k_g_m816_CEB816Message[] = {
	{&g_m816_Tax, 1, 65535},
};
static const struct ceb_def g_m816_CEB816Message = {"CEB816Message", CEB_K_GROUP, NULL, 0, k_g_m816_CEB816Message, 1};
static const struct ceb_child k_g_m818_Tax[] = {
	{&ceb_def_ITS, 1, 1},
};
static const struct ceb_def g_m818_Tax = {"Tax", CEB_K_GROUP, NULL, 0, k_g_m818_Tax, 1};
static const struct ceb_child k_g_m818_CEB818Message[] = {
	{&g_m818_Tax, 1, 65535},
};
static const struct ceb_def g_m818_CEB818Message = {"CEB818Message", CEB_K_GROUP, NULL, 0, k_g_m818_CEB818Message, 1};
static const struct ceb_child k_g_m900_CEB900Message[] = {
	{&ceb_def_IMR, 1, 1},
};
static const struct ceb_def g_m900_CEB900Message = {"CEB900Message", CEB_K_GROUP, NULL, 0, k_g_m900_CEB900Message, 1};

const struct ceb_msgtype ceb_msgtypes_import[] = {
	{311, "CEB311Message", CEB_SIDE_IMPORT, CEB_ROLE_DECL, "电子订单", "import order", &g_m311_CEB311Message},
	{312, "CEB312Message", CEB_SIDE_IMPORT, CEB_ROLE_RECEIPT, "电子订单回执", "import order receipt", &g_m312_CEB312Message},
	{411, "CEB411Message", CEB_SIDE_IMPORT, CEB_ROLE_DECL, "支付凭证", "payment voucher", &g_m411_CEB411Message},
	{412, "CEB412Message", CEB_SIDE_IMPORT, CEB_ROLE_RECEIPT, "支付凭证回执", "payment voucher receipt", &g_m412_CEB412Message},
	{511, "CEB511Message", CEB_SIDE_IMPORT, CEB_ROLE_DECL, "物流运单", "import waybill", &g_m511_CEB511Message},
	{512, "CEB512Message", CEB_SIDE_IMPORT, CEB_ROLE_RECEIPT, "物流运单回执", "import waybill receipt", &g_m512_CEB512Message},
	{513, "CEB513Message", CEB_SIDE_IMPORT, CEB_ROLE_DECL, "运单状态", "waybill status", &g_m513_CEB513Message},
	{514, "CEB514Message", CEB_SIDE_IMPORT, CEB_ROLE_RECEIPT, "运单状态回执", "waybill status receipt", &g_m514_CEB514Message},
	{621, "CEB621Message", CEB_SIDE_IMPORT, CEB_ROLE_DECL, "进口清单", "import inventory", &g_m621_CEB621Message},
	{622, "CEB622Message", CEB_SIDE_IMPORT, CEB_ROLE_RECEIPT, "进口清单回执", "import inventory receipt", &g_m622_CEB622Message},
	{623, "CEB623Message", CEB_SIDE_IMPORT, CEB_ROLE_DECL, "撤销申请单", "import inventory cancel", &g_m623_CEB623Message},
	{624, "CEB624Message", CEB_SIDE_IMPORT, CEB_ROLE_RECEIPT, "撤销申请单回执", "import cancel receipt", &g_m624_CEB624Message},
	{625, "CEB625Message", CEB_SIDE_IMPORT, CEB_ROLE_DECL, "退货申请单", "import refund", &g_m625_CEB625Message},
	{626, "CEB626Message", CEB_SIDE_IMPORT, CEB_ROLE_RECEIPT, "退货申请单回执", "import refund receipt", &g_m626_CEB626Message},
	{711, "CEB711Message", CEB_SIDE_IMPORT, CEB_ROLE_DECL, "入库明细单", "arrival tally", &g_m711_CEB711Message},
	{712, "CEB712Message", CEB_SIDE_IMPORT, CEB_ROLE_RECEIPT, "入库明细单回执", "arrival tally receipt", &g_m712_CEB712Message},
	{816, "CEB816Message", CEB_SIDE_IMPORT, CEB_ROLE_CUSTOMS, "电子税单", "electronic tax bill", &g_m816_CEB816Message},
	{818, "CEB818Message", CEB_SIDE_IMPORT, CEB_ROLE_CUSTOMS, "电子税单状态", "tax bill status", &g_m818_CEB818Message},
	{900, "CEB900Message", CEB_SIDE_IMPORT, CEB_ROLE_CUSTOMS, "报文格式校验回执", "format-check receipt", &g_m900_CEB900Message},
};
const size_t ceb_nmsgtypes_import = sizeof ceb_msgtypes_import / sizeof ceb_msgtypes_import[0];
