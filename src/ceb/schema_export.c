/* Export-side CEB message tables, written from the 2022 customs schema (ceb-export-2022.xsd).
 * Records list their fields through fields.h; groups give each element's children with
 * their occurrence bounds, in schema order. */
#include "ceb/schema.h"

static const struct ceb_field f_EOH[] = {CEB_FIELDS_EOH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EOH = {"OrderHead", CEB_K_RECORD, f_EOH, EOH__N, NULL, 0};
static const struct ceb_field f_EOL[] = {CEB_FIELDS_EOL(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EOL = {"OrderList", CEB_K_RECORD, f_EOL, EOL__N, NULL, 0};
static const struct ceb_field f_EOR[] = {CEB_FIELDS_EOR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EOR = {"OrderReturn", CEB_K_RECORD, f_EOR, EOR__N, NULL, 0};
static const struct ceb_field f_ERC[] = {CEB_FIELDS_ERC(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ERC = {"Receipts", CEB_K_RECORD, f_ERC, ERC__N, NULL, 0};
static const struct ceb_field f_ERCR[] = {CEB_FIELDS_ERCR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ERCR = {"ReceiptsReturn", CEB_K_RECORD, f_ERCR, ERCR__N, NULL, 0};
static const struct ceb_field f_ELG[] = {CEB_FIELDS_ELG(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ELG = {"Logistics", CEB_K_RECORD, f_ELG, ELG__N, NULL, 0};
static const struct ceb_field f_ELGR[] = {CEB_FIELDS_ELGR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ELGR = {"LogisticsReturn", CEB_K_RECORD, f_ELGR, ELGR__N, NULL, 0};
static const struct ceb_field f_EAH[] = {CEB_FIELDS_EAH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EAH = {"ArrivalHead", CEB_K_RECORD, f_EAH, EAH__N, NULL, 0};
static const struct ceb_field f_EAL[] = {CEB_FIELDS_EAL(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EAL = {"ArrivalList", CEB_K_RECORD, f_EAL, EAL__N, NULL, 0};
static const struct ceb_field f_EAR[] = {CEB_FIELDS_EAR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EAR = {"ArrivalReturn", CEB_K_RECORD, f_EAR, EAR__N, NULL, 0};
static const struct ceb_field f_EDH[] = {CEB_FIELDS_EDH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EDH = {"DepartureHead", CEB_K_RECORD, f_EDH, EDH__N, NULL, 0};
static const struct ceb_field f_EDL[] = {CEB_FIELDS_EDL(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EDL = {"DepartureList", CEB_K_RECORD, f_EDL, EDL__N, NULL, 0};
static const struct ceb_field f_EDR[] = {CEB_FIELDS_EDR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EDR = {"DepartureReturn", CEB_K_RECORD, f_EDR, EDR__N, NULL, 0};
static const struct ceb_field f_EIH[] = {CEB_FIELDS_EIH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EIH = {"InventoryHead", CEB_K_RECORD, f_EIH, EIH__N, NULL, 0};
static const struct ceb_field f_EIL[] = {CEB_FIELDS_EIL(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EIL = {"InventoryList", CEB_K_RECORD, f_EIL, EIL__N, NULL, 0};
static const struct ceb_field f_EIR[] = {CEB_FIELDS_EIR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EIR = {"InventoryReturn", CEB_K_RECORD, f_EIR, EIR__N, NULL, 0};
static const struct ceb_field f_ECA[] = {CEB_FIELDS_ECA(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ECA = {"InvtCancel", CEB_K_RECORD, f_ECA, ECA__N, NULL, 0};
static const struct ceb_field f_ECAR[] = {CEB_FIELDS_ECAR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ECAR = {"InvtCancelReturn", CEB_K_RECORD, f_ECAR, ECAR__N, NULL, 0};
static const struct ceb_field f_EWH[] = {CEB_FIELDS_EWH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EWH = {"WayBillHead", CEB_K_RECORD, f_EWH, EWH__N, NULL, 0};
static const struct ceb_field f_EWL[] = {CEB_FIELDS_EWL(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EWL = {"WayBillList", CEB_K_RECORD, f_EWL, EWL__N, NULL, 0};
static const struct ceb_field f_EWR[] = {CEB_FIELDS_EWR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EWR = {"WayBillReturn", CEB_K_RECORD, f_EWR, EWR__N, NULL, 0};
static const struct ceb_field f_ESH[] = {CEB_FIELDS_ESH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ESH = {"SummaryApplyHead", CEB_K_RECORD, f_ESH, ESH__N, NULL, 0};
static const struct ceb_field f_EFL[] = {CEB_FIELDS_EFL(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EFL = {"InvtRefundList", CEB_K_RECORD, f_EFL, EFL__N, NULL, 0};
static const struct ceb_field f_EFH[] = {CEB_FIELDS_EFH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EFH = {"InvtRefundHead", CEB_K_RECORD, f_EFH, EFH__N, NULL, 0};
static const struct ceb_field f_EFD[] = {CEB_FIELDS_EFD(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EFD = {"InvtRefundDetail", CEB_K_RECORD, f_EFD, EFD__N, NULL, 0};
static const struct ceb_field f_EFDR[] = {CEB_FIELDS_EFDR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EFDR = {"InvtRefundDetailReturn", CEB_K_RECORD, f_EFDR, EFDR__N, NULL, 0};
static const struct ceb_field f_EFR[] = {CEB_FIELDS_EFR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EFR = {"RefundReturn", CEB_K_RECORD, f_EFR, EFR__N, NULL, 0};
static const struct ceb_field f_ESL[] = {CEB_FIELDS_ESL(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ESL = {"SummaryApplyList", CEB_K_RECORD, f_ESL, ESL__N, NULL, 0};
static const struct ceb_field f_ESR[] = {CEB_FIELDS_ESR(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_ESR = {"SummaryReturn", CEB_K_RECORD, f_ESR, ESR__N, NULL, 0};
static const struct ceb_field f_EUH[] = {CEB_FIELDS_EUH(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EUH = {"SummaryResultHead", CEB_K_RECORD, f_EUH, EUH__N, NULL, 0};
static const struct ceb_field f_EUL[] = {CEB_FIELDS_EUL(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EUL = {"SummaryResultList", CEB_K_RECORD, f_EUL, EUL__N, NULL, 0};
static const struct ceb_field f_EBT[] = {CEB_FIELDS_EBT(CEB_FIELD_ROW)};
const struct ceb_def ceb_def_EBT = {"BaseTransfer", CEB_K_RECORD, f_EBT, EBT__N, NULL, 0};
static const struct ceb_child k_g_m303_Order[] = {
	{&ceb_def_EOH, 1, 1},
	{&ceb_def_EOL, 1, 100},
};
static const struct ceb_def g_m303_Order = {"Order", CEB_K_GROUP, NULL, 0, k_g_m303_Order, 2};
static const struct ceb_child k_g_m303_CEB303Message[] = {
	{&g_m303_Order, 1, 100},
	{&ceb_def_EBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_SIG, 0, 1},
	{&ceb_def_EXT, 0, 1},
};
static const struct ceb_def g_m303_CEB303Message = {"CEB303Message", CEB_K_GROUP, NULL, 0, k_g_m303_CEB303Message, 5};
static const struct ceb_child k_g_m304_CEB304Message[] = {
	{&ceb_def_EOR, 1, 100},
};
static const struct ceb_def g_m304_CEB304Message = {"CEB304Message", CEB_K_GROUP, NULL, 0, k_g_m304_CEB304Message, 1};
static const struct ceb_child k_g_m403_CEB403Message[] = {
	{&ceb_def_ERC, 1, 100},
	{&ceb_def_EBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_SIG, 0, 1},
	{&ceb_def_EXT, 0, 1},
};
static const struct ceb_def g_m403_CEB403Message = {"CEB403Message", CEB_K_GROUP, NULL, 0, k_g_m403_CEB403Message, 5};
static const struct ceb_child k_g_m404_CEB404Message[] = {
	{&ceb_def_ERCR, 1, 100},
};
static const struct ceb_def g_m404_CEB404Message = {"CEB404Message", CEB_K_GROUP, NULL, 0, k_g_m404_CEB404Message, 1};
static const struct ceb_child k_g_m505_CEB505Message[] = {
	{&ceb_def_ELG, 1, 100},
	{&ceb_def_EBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_SIG, 0, 1},
	{&ceb_def_EXT, 0, 1},
};
static const struct ceb_def g_m505_CEB505Message = {"CEB505Message", CEB_K_GROUP, NULL, 0, k_g_m505_CEB505Message, 5};
static const struct ceb_child k_g_m506_CEB506Message[] = {
	{&ceb_def_ELGR, 1, 100},
};
static const struct ceb_def g_m506_CEB506Message = {"CEB506Message", CEB_K_GROUP, NULL, 0, k_g_m506_CEB506Message, 1};
static const struct ceb_child k_g_m507_Arrival[] = {
	{&ceb_def_EAH, 1, 1},
	{&ceb_def_EAL, 0, 65535},
};
static const struct ceb_def g_m507_Arrival = {"Arrival", CEB_K_GROUP, NULL, 0, k_g_m507_Arrival, 2};
static const struct ceb_child k_g_m507_CEB507Message[] = {
	{&g_m507_Arrival, 1, 100},
	{&ceb_def_EBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_SIG, 0, 1},
	{&ceb_def_EXT, 0, 1},
};
static const struct ceb_def g_m507_CEB507Message = {"CEB507Message", CEB_K_GROUP, NULL, 0, k_g_m507_CEB507Message, 5};
static const struct ceb_child k_g_m508_CEB508Message[] = {
	{&ceb_def_EAR, 1, 100},
};
static const struct ceb_def g_m508_CEB508Message = {"CEB508Message", CEB_K_GROUP, NULL, 0, k_g_m508_CEB508Message, 1};
static const struct ceb_child k_g_m509_Departure[] = {
	{&ceb_def_EDH, 1, 1},
	{&ceb_def_EDL, 1, 65535},
};
static const struct ceb_def g_m509_Departure = {"Departure", CEB_K_GROUP, NULL, 0, k_g_m509_Departure, 2};
static const struct ceb_child k_g_m509_CEB509Message[] = {
	{&g_m509_Departure, 1, 100},
	{&ceb_def_EBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_SIG, 0, 1},
	{&ceb_def_EXT, 0, 1},
};
static const struct ceb_def g_m509_CEB509Message = {"CEB509Message", CEB_K_GROUP, NULL, 0, k_g_m509_CEB509Message, 5};
static const struct ceb_child k_g_m510_CEB510Message[] = {
	{&ceb_def_EDR, 1, 100},
};
static const struct ceb_def g_m510_CEB510Message = {"CEB510Message", CEB_K_GROUP, NULL, 0, k_g_m510_CEB510Message, 1};
static const struct ceb_child k_g_m603_Inventory[] = {
	{&ceb_def_EIH, 1, 1},
	{&ceb_def_EIL, 1, 100},
};
static const struct ceb_def g_m603_Inventory = {"Inventory", CEB_K_GROUP, NULL, 0, k_g_m603_Inventory, 2};
static const struct ceb_child k_g_m603_CEB603Message[] = {
	{&g_m603_Inventory, 1, 100},
	{&ceb_def_EBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_SIG, 0, 1},
	{&ceb_def_EXT, 0, 1},
};
static const struct ceb_def g_m603_CEB603Message = {"CEB603Message", CEB_K_GROUP, NULL, 0, k_g_m603_CEB603Message, 5};
static const struct ceb_child k_g_m604_CEB604Message[] = {
	{&ceb_def_EIR, 1, 100},
};
static const struct ceb_def g_m604_CEB604Message = {"CEB604Message", CEB_K_GROUP, NULL, 0, k_g_m604_CEB604Message, 1};
static const struct ceb_child k_g_m605_CEB605Message[] = {
	{&ceb_def_ECA, 1, 100},
	{&ceb_def_EBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_SIG, 0, 1},
	{&ceb_def_EXT, 0, 1},
};
static const struct ceb_def g_m605_CEB605Message = {"CEB605Message", CEB_K_GROUP, NULL, 0, k_g_m605_CEB605Message, 5};
static const struct ceb_child k_g_m606_CEB606Message[] = {
	{&ceb_def_ECAR, 1, 100},
};
static const struct ceb_def g_m606_CEB606Message = {"CEB606Message", CEB_K_GROUP, NULL, 0, k_g_m606_CEB606Message, 1};
static const struct ceb_child k_g_m607_WayBill[] = {
	{&ceb_def_EWH, 1, 1},
	{&ceb_def_EWL, 1, 65535},
};
static const struct ceb_def g_m607_WayBill = {"WayBill", CEB_K_GROUP, NULL, 0, k_g_m607_WayBill, 2};
static const struct ceb_child k_g_m607_CEB607Message[] = {
	{&g_m607_WayBill, 1, 100},
	{&ceb_def_EBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_SIG, 0, 1},
	{&ceb_def_EXT, 0, 1},
};
static const struct ceb_def g_m607_CEB607Message = {"CEB607Message", CEB_K_GROUP, NULL, 0, k_g_m607_CEB607Message, 5};
static const struct ceb_child k_g_m608_CEB608Message[] = {
	{&ceb_def_EWR, 1, 100},
};
static const struct ceb_def g_m608_CEB608Message = {"CEB608Message", CEB_K_GROUP, NULL, 0, k_g_m608_CEB608Message, 1};
static const struct ceb_child k_g_m213_InvtRefund[] = {
	{&ceb_def_EFH, 1, 1},
	{&ceb_def_EFL, 1, 100},
};
static const struct ceb_def g_m213_InvtRefund = {"InvtRefund", CEB_K_GROUP, NULL, 0, k_g_m213_InvtRefund, 2};
static const struct ceb_child k_g_m213_CEB213Message[] = {
	{&g_m213_InvtRefund, 1, 100},
	{&ceb_def_EBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_SIG, 0, 1},
	{&ceb_def_EXT, 0, 1},
};
static const struct ceb_def g_m213_CEB213Message = {"CEB213Message", CEB_K_GROUP, NULL, 0, k_g_m213_CEB213Message, 5};
static const struct ceb_child k_g_m214_CEB214Message[] = {
	{&ceb_def_EFR, 1, 100},
};
static const struct ceb_def g_m214_CEB214Message = {"CEB214Message", CEB_K_GROUP, NULL, 0, k_g_m214_CEB214Message, 1};
static const struct ceb_child k_g_m215_CEB215Message[] = {
	{&ceb_def_EFD, 1, 100},
	{&ceb_def_EBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_SIG, 0, 1},
	{&ceb_def_EXT, 0, 1},
};
static const struct ceb_def g_m215_CEB215Message = {"CEB215Message", CEB_K_GROUP, NULL, 0, k_g_m215_CEB215Message, 5};
static const struct ceb_child k_g_m216_CEB216Message[] = {
	{&ceb_def_EFDR, 1, 100},
};
static const struct ceb_def g_m216_CEB216Message = {"CEB216Message", CEB_K_GROUP, NULL, 0, k_g_m216_CEB216Message, 1};
static const struct ceb_child k_g_m701_SummaryApply[] = {
	{&ceb_def_ESH, 1, 1},
	{&ceb_def_ESL, 0, 65535},
};
static const struct ceb_def g_m701_SummaryApply = {"SummaryApply", CEB_K_GROUP, NULL, 0, k_g_m701_SummaryApply, 2};
static const struct ceb_child k_g_m701_CEB701Message[] = {
	{&g_m701_SummaryApply, 1, 100},
	{&ceb_def_EBT, 1, 1},
	{&ceb_def_BS, 0, 5},
	{&ceb_def_SIG, 0, 1},
	{&ceb_def_EXT, 0, 1},
};
static const struct ceb_def g_m701_CEB701Message = {"CEB701Message", CEB_K_GROUP, NULL, 0, k_g_m701_CEB701Message, 5};
static const struct ceb_child k_g_m702_CEB702Message[] = {
	{&ceb_def_ESR, 1, 100},
};
static const struct ceb_def g_m702_CEB702Message = {"CEB702Message", CEB_K_GROUP, NULL, 0, k_g_m702_CEB702Message, 1};
static const struct ceb_child k_g_m792_SummaryResult[] = {
	{&ceb_def_EUH, 1, 1},
	{&ceb_def_EUL, 0, 65535},
};
static const struct ceb_def g_m792_SummaryResult = {"SummaryResult", CEB_K_GROUP, NULL, 0, k_g_m792_SummaryResult, 2};
static const struct ceb_child k_g_m792_CEB792Message[] = {
	{&g_m792_SummaryResult, 1, 100},
};
static const struct ceb_def g_m792_CEB792Message = {"CEB792Message", CEB_K_GROUP, NULL, 0, k_g_m792_CEB792Message, 1};

const struct ceb_msgtype ceb_msgtypes_export[] = {
	{303, "CEB303Message", CEB_SIDE_EXPORT, CEB_ROLE_DECL, "出口订单", "export order", &g_m303_CEB303Message},
	{304, "CEB304Message", CEB_SIDE_EXPORT, CEB_ROLE_RECEIPT, "出口订单回执", "export order receipt", &g_m304_CEB304Message},
	{403, "CEB403Message", CEB_SIDE_EXPORT, CEB_ROLE_DECL, "收款单", "collection note", &g_m403_CEB403Message},
	{404, "CEB404Message", CEB_SIDE_EXPORT, CEB_ROLE_RECEIPT, "收款单回执", "collection note receipt", &g_m404_CEB404Message},
	{505, "CEB505Message", CEB_SIDE_EXPORT, CEB_ROLE_DECL, "出口运单", "export waybill", &g_m505_CEB505Message},
	{506, "CEB506Message", CEB_SIDE_EXPORT, CEB_ROLE_RECEIPT, "出口运单回执", "export waybill receipt", &g_m506_CEB506Message},
	{507, "CEB507Message", CEB_SIDE_EXPORT, CEB_ROLE_DECL, "运抵单", "arrival report", &g_m507_CEB507Message},
	{508, "CEB508Message", CEB_SIDE_EXPORT, CEB_ROLE_RECEIPT, "运抵单回执", "arrival report receipt", &g_m508_CEB508Message},
	{509, "CEB509Message", CEB_SIDE_EXPORT, CEB_ROLE_DECL, "离境单", "departure report", &g_m509_CEB509Message},
	{510, "CEB510Message", CEB_SIDE_EXPORT, CEB_ROLE_RECEIPT, "离境单回执", "departure report receipt", &g_m510_CEB510Message},
	{603, "CEB603Message", CEB_SIDE_EXPORT, CEB_ROLE_DECL, "出口清单", "export inventory", &g_m603_CEB603Message},
	{604, "CEB604Message", CEB_SIDE_EXPORT, CEB_ROLE_RECEIPT, "出口清单回执", "export inventory receipt", &g_m604_CEB604Message},
	{605, "CEB605Message", CEB_SIDE_EXPORT, CEB_ROLE_DECL, "出口撤销申请单", "export inventory cancel", &g_m605_CEB605Message},
	{606, "CEB606Message", CEB_SIDE_EXPORT, CEB_ROLE_RECEIPT, "出口撤销申请单回执", "export cancel receipt", &g_m606_CEB606Message},
	{607, "CEB607Message", CEB_SIDE_EXPORT, CEB_ROLE_DECL, "清单总分单", "master/sub waybill list", &g_m607_CEB607Message},
	{608, "CEB608Message", CEB_SIDE_EXPORT, CEB_ROLE_RECEIPT, "清单总分单回执", "waybill list receipt", &g_m608_CEB608Message},
	{213, "CEB213Message", CEB_SIDE_EXPORT, CEB_ROLE_DECL, "出口退货申请单", "export return application", &g_m213_CEB213Message},
	{214, "CEB214Message", CEB_SIDE_EXPORT, CEB_ROLE_RECEIPT, "出口退货申请单回执", "export return receipt", &g_m214_CEB214Message},
	{215, "CEB215Message", CEB_SIDE_EXPORT, CEB_ROLE_DECL, "退货理货明细单", "return tally", &g_m215_CEB215Message},
	{216, "CEB216Message", CEB_SIDE_EXPORT, CEB_ROLE_RECEIPT, "退货理货明细单回执", "return tally receipt", &g_m216_CEB216Message},
	{701, "CEB701Message", CEB_SIDE_EXPORT, CEB_ROLE_DECL, "汇总申请单", "summary application", &g_m701_CEB701Message},
	{702, "CEB702Message", CEB_SIDE_EXPORT, CEB_ROLE_RECEIPT, "汇总申请单回执", "summary application receipt", &g_m702_CEB702Message},
	{792, "CEB792Message", CEB_SIDE_EXPORT, CEB_ROLE_CUSTOMS, "汇总结果单", "summary result", &g_m792_CEB792Message},
};
const size_t ceb_nmsgtypes_export = sizeof ceb_msgtypes_export / sizeof ceb_msgtypes_export[0];
