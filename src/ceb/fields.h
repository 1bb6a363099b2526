/* Field lists of every CEB record, one X-macro per record: F(TAG, name, zh, type, required,
 * minlen, maxlen, totalDigits, fractionDigits, format). Written from the 2022 customs schemas;
 * tests/test_schema_xsd.c holds each list to the official XSD (names, order, lengths, required). */
#ifndef CEB_FIELDS_H
#define CEB_FIELDS_H

/* import MessageReturn */
#define CEB_FIELDS_IMR(F) \
	F(IMR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(IMR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(IMR, returnInfo, "回执信息", STR, 1, 0, 5000, 0, 0, NONE) \
	F(IMR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(IMR, oriCopMsgId, "原始传输报文的copMsgId", STR, 1, 0, 255, 0, 0, NONE) \
	F(IMR, oriMessageType, "原始报文的报文类型", STR, 1, 0, 15, 0, 0, NONE) \
	F(IMR, oriBizMessage, "原始报文内容", STR, 1, 0, 0, 0, 0, NONE)

/* import TaxHeadStatus */
#define CEB_FIELDS_ITS(F) \
	F(ITS, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ITS, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(ITS, invtNo, "清单编号", STR, 1, 1, 18, 0, 0, NONE) \
	F(ITS, taxNo, "电子税单编号", STR, 1, 1, 50, 0, 0, NONE) \
	F(ITS, status, "税单状态", STR, 1, 1, 1, 0, 0, NONE) \
	F(ITS, entDutyNo, "缴款书编号", STR, 0, 0, 50, 0, 0, NONE) \
	F(ITS, assureCode, "担保企业编号", STR, 0, 0, 64, 0, 0, NONE)

/* import TaxHeadRd */
#define CEB_FIELDS_ITH(F) \
	F(ITH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ITH, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(ITH, invtNo, "清单编号", STR, 1, 1, 18, 0, 0, NONE) \
	F(ITH, taxNo, "电子税单编号", STR, 1, 1, 50, 0, 0, NONE) \
	F(ITH, customsTax, "应征关税", DEC, 1, 0, 0, 19, 5, NONE) \
	F(ITH, valueAddedTax, "应征增值税", DEC, 1, 0, 0, 19, 5, NONE) \
	F(ITH, consumptionTax, "应征消费税", DEC, 1, 0, 0, 19, 5, NONE) \
	F(ITH, status, "税单状态", STR, 1, 1, 1, 0, 0, NONE) \
	F(ITH, entDutyNo, "缴款书编号", STR, 0, 0, 50, 0, 0, NONE) \
	F(ITH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE) \
	F(ITH, assureCode, "担保企业编号", STR, 0, 0, 64, 0, 0, NONE) \
	F(ITH, ebcCode, "电商企业代码", STR, 0, 0, 64, 0, 0, NONE) \
	F(ITH, logisticsCode, "物流企业代码", STR, 0, 0, 64, 0, 0, NONE) \
	F(ITH, agentCode, "申报企业代码", STR, 0, 1, 18, 0, 0, NONE) \
	F(ITH, customsCode, "申报海关代码", STR, 0, 4, 4, 0, 0, CUSTOMS)

/* import TaxListRd */
#define CEB_FIELDS_ITL(F) \
	F(ITL, gnum, "商品序号", INT, 1, 0, 0, 0, 0, NONE) \
	F(ITL, gcode, "商品编码", STR, 1, 10, 10, 0, 0, HS) \
	F(ITL, taxPrice, "完税总价格", DEC, 1, 0, 0, 19, 5, NONE) \
	F(ITL, customsTax, "应征关税", DEC, 1, 0, 0, 19, 5, NONE) \
	F(ITL, valueAddedTax, "应征增值税", DEC, 1, 0, 0, 19, 5, NONE) \
	F(ITL, consumptionTax, "应征消费税", DEC, 1, 0, 0, 19, 5, NONE)

/* import OrderHead */
#define CEB_FIELDS_IOH(F) \
	F(IOH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(IOH, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(IOH, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(IOH, appStatus, "业务状态", STR, 1, 1, 3, 0, 0, APPSTATUS) \
	F(IOH, orderType, "订单类型", STR, 1, 1, 1, 0, 0, ORDERTYPE) \
	F(IOH, orderNo, "订单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(IOH, ebpCode, "电商平台代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IOH, ebpName, "电商平台名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(IOH, ebcCode, "电商企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IOH, ebcName, "电商企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(IOH, goodsValue, "商品价格", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IOH, freight, "运杂费", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IOH, discount, "非现金抵扣金额", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IOH, taxTotal, "代扣税款", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IOH, acturalPaid, "实际支付金额", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IOH, currency, "币制", STR, 1, 3, 3, 0, 0, CURRENCY) \
	F(IOH, buyerRegNo, "订购人注册号", STR, 1, 1, 60, 0, 0, NONE) \
	F(IOH, buyerName, "订购人姓名", STR, 1, 1, 60, 0, 0, NONE) \
	F(IOH, buyerTelephone, "订购人电话", STR, 1, 1, 30, 0, 0, NONE) \
	F(IOH, buyerIdType, "订购人证件类型", STR, 1, 1, 1, 0, 0, IDTYPE) \
	F(IOH, buyerIdNumber, "订购人证件号码", STR, 1, 1, 60, 0, 0, IDNUMBER) \
	F(IOH, payCode, "支付企业代码", STR, 0, 0, 18, 0, 0, NONE) \
	F(IOH, payName, "支付企业名称", STR, 0, 0, 100, 0, 0, NONE) \
	F(IOH, payTransactionId, "支付交易编号", STR, 0, 0, 60, 0, 0, NONE) \
	F(IOH, batchNumbers, "商品批次号", STR, 0, 0, 100, 0, 0, NONE) \
	F(IOH, consignee, "收货人姓名", STR, 1, 1, 100, 0, 0, NONE) \
	F(IOH, consigneeTelephone, "收货人电话", STR, 1, 1, 50, 0, 0, NONE) \
	F(IOH, consigneeAddress, "收货地址", STR, 1, 1, 200, 0, 0, NONE) \
	F(IOH, consigneeDistrict, "收货地址行政区划代码", STR, 0, 6, 6, 0, 0, DISTRICT) \
	F(IOH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* import OrderList */
#define CEB_FIELDS_IOL(F) \
	F(IOL, gnum, "商品序号", INT, 1, 0, 0, 0, 0, NONE) \
	F(IOL, itemNo, "企业商品货号", STR, 0, 0, 30, 0, 0, NONE) \
	F(IOL, itemName, "企业商品名称", STR, 1, 1, 250, 0, 0, NONE) \
	F(IOL, gmodel, "规格型号", STR, 1, 1, 510, 0, 0, NONE) \
	F(IOL, itemDescribe, "企业商品描述", STR, 0, 0, 1000, 0, 0, NONE) \
	F(IOL, barCode, "条形码", STR, 0, 0, 50, 0, 0, NONE) \
	F(IOL, unit, "计量单位", STR, 1, 3, 3, 0, 0, UNIT) \
	F(IOL, qty, "数量", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IOL, price, "单价", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IOL, totalPrice, "总价", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IOL, currency, "币制", STR, 1, 3, 3, 0, 0, CURRENCY) \
	F(IOL, country, "国家(地区)", STR, 1, 3, 3, 0, 0, COUNTRY) \
	F(IOL, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* import OrderReturn */
#define CEB_FIELDS_IOR(F) \
	F(IOR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(IOR, ebpCode, "电商平台代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IOR, ebcCode, "电商企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IOR, orderNo, "订单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(IOR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(IOR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(IOR, returnInfo, "回执信息", STR, 1, 1, 1000, 0, 0, NONE)

/* import PaymentHead */
#define CEB_FIELDS_IPH(F) \
	F(IPH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(IPH, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(IPH, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(IPH, appStatus, "业务状态", STR, 1, 1, 3, 0, 0, APPSTATUS) \
	F(IPH, payCode, "支付企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IPH, payName, "支付企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(IPH, payTransactionId, "支付交易编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(IPH, orderNo, "订单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(IPH, ebpCode, "电商平台代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IPH, ebpName, "电商平台名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(IPH, payerIdType, "支付人证件类型", STR, 1, 1, 1, 0, 0, IDTYPE) \
	F(IPH, payerIdNumber, "支付人证件号码", STR, 1, 1, 60, 0, 0, IDNUMBER) \
	F(IPH, payerName, "支付人姓名", STR, 1, 1, 60, 0, 0, NONE) \
	F(IPH, telephone, "支付人电话", STR, 0, 0, 60, 0, 0, NONE) \
	F(IPH, amountPaid, "支付金额", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IPH, currency, "币制", STR, 1, 3, 3, 0, 0, CURRENCY) \
	F(IPH, payTime, "支付时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(IPH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* import PaymentReturn */
#define CEB_FIELDS_IPR(F) \
	F(IPR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(IPR, payCode, "支付企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IPR, payTransactionId, "支付交易编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(IPR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(IPR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(IPR, returnInfo, "回执信息", STR, 1, 1, 1000, 0, 0, NONE)

/* import LogisticsHead */
#define CEB_FIELDS_ILH(F) \
	F(ILH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ILH, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(ILH, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(ILH, appStatus, "业务状态", STR, 1, 1, 3, 0, 0, APPSTATUS) \
	F(ILH, logisticsCode, "物流企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(ILH, logisticsName, "物流企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(ILH, logisticsNo, "物流运单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(ILH, billNo, "提运单号", STR, 0, 0, 37, 0, 0, NONE) \
	F(ILH, orderNo, "订单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(ILH, freight, "运杂费", DEC, 0, 0, 0, 19, 5, NONE) \
	F(ILH, insuredFee, "保价费", DEC, 0, 0, 0, 19, 5, NONE) \
	F(ILH, currency, "币制", STR, 1, 3, 3, 0, 0, CURRENCY) \
	F(ILH, weight, "毛重", DEC, 1, 0, 0, 19, 5, NONE) \
	F(ILH, packNo, "件数", INT, 1, 0, 0, 9, 0, NONE) \
	F(ILH, goodsInfo, "主要货物信息", STR, 0, 0, 200, 0, 0, NONE) \
	F(ILH, consignee, "收货人姓名", STR, 1, 1, 100, 0, 0, NONE) \
	F(ILH, consigneeAddress, "收货地址", STR, 1, 1, 200, 0, 0, NONE) \
	F(ILH, consigneeTelephone, "收货人电话", STR, 1, 1, 50, 0, 0, NONE) \
	F(ILH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* import LogisticsReturn */
#define CEB_FIELDS_ILR(F) \
	F(ILR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ILR, logisticsCode, "物流企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(ILR, logisticsNo, "物流运单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(ILR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(ILR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(ILR, returnInfo, "回执信息", STR, 1, 1, 1000, 0, 0, NONE)

/* import LogisticsStatus */
#define CEB_FIELDS_ILS(F) \
	F(ILS, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ILS, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(ILS, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(ILS, appStatus, "业务状态", STR, 1, 1, 3, 0, 0, APPSTATUS) \
	F(ILS, logisticsCode, "物流企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(ILS, logisticsName, "物流企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(ILS, logisticsNo, "物流运单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(ILS, logisticsStatus, "物流签收状态", STR, 1, 1, 1, 0, 0, LOGSTATUS) \
	F(ILS, logisticsTime, "物流状态发生的实际时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(ILS, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* import LogisticsStatusReturn */
#define CEB_FIELDS_ILSR(F) \
	F(ILSR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ILSR, logisticsCode, "物流企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(ILSR, logisticsNo, "物流运单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(ILSR, logisticsStatus, "物流签收状态", STR, 1, 1, 1, 0, 0, LOGSTATUS) \
	F(ILSR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(ILSR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(ILSR, returnInfo, "回执信息", STR, 1, 1, 1000, 0, 0, NONE)

/* import InventoryHead */
#define CEB_FIELDS_IIH(F) \
	F(IIH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(IIH, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(IIH, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(IIH, appStatus, "业务状态", STR, 1, 1, 3, 0, 0, APPSTATUS) \
	F(IIH, orderNo, "订单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(IIH, ebpCode, "电商平台代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IIH, ebpName, "电商平台名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(IIH, ebcCode, "电商企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IIH, ebcName, "电商企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(IIH, logisticsNo, "物流运单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(IIH, logisticsCode, "物流企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IIH, logisticsName, "物流企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(IIH, copNo, "企业内部编号", STR, 0, 0, 20, 0, 0, NONE) \
	F(IIH, preNo, "预录入编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(IIH, assureCode, "担保企业编号", STR, 1, 1, 30, 0, 0, NONE) \
	F(IIH, emsNo, "账册编号", STR, 0, 0, 30, 0, 0, NONE) \
	F(IIH, invtNo, "清单编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(IIH, ieFlag, "进出口标记", STR, 1, 1, 1, 0, 0, IEFLAG) \
	F(IIH, declTime, "申报日期", STR, 1, 8, 8, 0, 0, DATE8) \
	F(IIH, customsCode, "申报海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(IIH, portCode, "口岸海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(IIH, ieDate, "进", STR, 0, 8, 8, 0, 0, DATE8) \
	F(IIH, buyerIdType, "订购人证件类型", STR, 1, 1, 1, 0, 0, IDTYPE) \
	F(IIH, buyerIdNumber, "订购人证件号码", STR, 1, 1, 60, 0, 0, IDNUMBER) \
	F(IIH, buyerName, "订购人姓名", STR, 1, 1, 60, 0, 0, NONE) \
	F(IIH, buyerTelephone, "订购人电话", STR, 1, 1, 30, 0, 0, NONE) \
	F(IIH, consigneeAddress, "收货地址", STR, 1, 1, 200, 0, 0, NONE) \
	F(IIH, agentCode, "申报企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IIH, agentName, "申报企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(IIH, areaCode, "区内企业代码", STR, 0, 0, 18, 0, 0, NONE) \
	F(IIH, areaName, "区内企业名称", STR, 0, 0, 100, 0, 0, NONE) \
	F(IIH, tradeMode, "贸易方式", STR, 1, 4, 4, 0, 0, TRADEMODE) \
	F(IIH, trafMode, "运输方式", STR, 1, 1, 1, 0, 0, TRAFMODE) \
	F(IIH, trafNo, "运输工具编号", STR, 0, 0, 100, 0, 0, NONE) \
	F(IIH, voyageNo, "航班航次号", STR, 0, 0, 32, 0, 0, NONE) \
	F(IIH, billNo, "提运单号", STR, 0, 0, 37, 0, 0, NONE) \
	F(IIH, loctNo, "监管场所代码", STR, 0, 0, 10, 0, 0, NONE) \
	F(IIH, licenseNo, "许可证件号", STR, 0, 0, 19, 0, 0, NONE) \
	F(IIH, country, "国家(地区)", STR, 1, 3, 3, 0, 0, COUNTRY) \
	F(IIH, freight, "运杂费", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IIH, insuredFee, "保价费", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IIH, currency, "币制", STR, 1, 3, 3, 0, 0, CURRENCY) \
	F(IIH, wrapType, "包装种类代码", STR, 0, 1, 1, 0, 0, WRAPTYPE) \
	F(IIH, packNo, "件数", INT, 1, 0, 0, 9, 0, NONE) \
	F(IIH, grossWeight, "毛重", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IIH, netWeight, "净重", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IIH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* import InventoryList */
#define CEB_FIELDS_IIL(F) \
	F(IIL, gnum, "商品序号", INT, 1, 0, 0, 0, 0, NONE) \
	F(IIL, itemRecordNo, "账册备案料号", STR, 0, 0, 30, 0, 0, NONE) \
	F(IIL, itemNo, "企业商品货号", STR, 0, 0, 20, 0, 0, NONE) \
	F(IIL, itemName, "企业商品名称", STR, 0, 0, 250, 0, 0, NONE) \
	F(IIL, gcode, "商品编码", STR, 1, 10, 10, 0, 0, HS) \
	F(IIL, gname, "商品名称", STR, 1, 1, 250, 0, 0, NONE) \
	F(IIL, gmodel, "规格型号", STR, 1, 1, 510, 0, 0, NONE) \
	F(IIL, barCode, "条形码", STR, 0, 0, 50, 0, 0, NONE) \
	F(IIL, country, "国家(地区)", STR, 1, 3, 3, 0, 0, COUNTRY) \
	F(IIL, tradeCountry, "贸易国", STR, 0, 1, 3, 0, 0, COUNTRY) \
	F(IIL, currency, "币制", STR, 1, 3, 3, 0, 0, CURRENCY) \
	F(IIL, qty, "数量", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IIL, unit, "计量单位", STR, 1, 3, 3, 0, 0, UNIT) \
	F(IIL, qty1, "法定数量", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IIL, unit1, "法定计量单位", STR, 1, 3, 3, 0, 0, UNIT) \
	F(IIL, qty2, "第二数量", DEC, 0, 0, 0, 19, 5, NONE) \
	F(IIL, unit2, "第二计量单位", STR, 0, 3, 3, 0, 0, UNIT) \
	F(IIL, price, "单价", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IIL, totalPrice, "总价", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IIL, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* import InventoryReturn */
#define CEB_FIELDS_IIR(F) \
	F(IIR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(IIR, customsCode, "申报海关代码", STR, 0, 4, 4, 0, 0, CUSTOMS) \
	F(IIR, ebpCode, "电商平台代码", STR, 0, 1, 18, 0, 0, NONE) \
	F(IIR, ebcCode, "电商企业代码", STR, 0, 1, 18, 0, 0, NONE) \
	F(IIR, agentCode, "申报企业代码", STR, 0, 1, 18, 0, 0, NONE) \
	F(IIR, copNo, "企业内部编号", STR, 1, 1, 20, 0, 0, NONE) \
	F(IIR, preNo, "预录入编号", STR, 1, 18, 18, 0, 0, NONE) \
	F(IIR, invtNo, "清单编号", STR, 0, 18, 18, 0, 0, NONE) \
	F(IIR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(IIR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(IIR, returnInfo, "回执信息", STR, 1, 1, 1000, 0, 0, NONE)

/* import InvtCancel */
#define CEB_FIELDS_ICA(F) \
	F(ICA, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ICA, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(ICA, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(ICA, appStatus, "业务状态", STR, 1, 1, 3, 0, 0, APPSTATUS) \
	F(ICA, customsCode, "申报海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(ICA, orderNo, "订单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(ICA, ebpCode, "电商平台代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(ICA, ebpName, "电商平台名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(ICA, ebcCode, "电商企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(ICA, ebcName, "电商企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(ICA, logisticsNo, "物流运单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(ICA, logisticsCode, "物流企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(ICA, logisticsName, "物流企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(ICA, copNo, "企业内部编号", STR, 0, 0, 20, 0, 0, NONE) \
	F(ICA, preNo, "预录入编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(ICA, invtNo, "清单编号", STR, 1, 1, 18, 0, 0, NONE) \
	F(ICA, buyerIdType, "订购人证件类型", STR, 1, 1, 1, 0, 0, IDTYPE) \
	F(ICA, buyerIdNumber, "订购人证件号码", STR, 1, 1, 60, 0, 0, IDNUMBER) \
	F(ICA, buyerName, "订购人姓名", STR, 1, 1, 60, 0, 0, NONE) \
	F(ICA, buyerTelephone, "订购人电话", STR, 1, 1, 30, 0, 0, NONE) \
	F(ICA, agentCode, "申报企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(ICA, agentName, "申报企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(ICA, reason, "撤单原因", STR, 1, 1, 1000, 0, 0, NONE) \
	F(ICA, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* import InvtCancelReturn */
#define CEB_FIELDS_ICAR(F) \
	F(ICAR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ICAR, customsCode, "申报海关代码", STR, 0, 4, 4, 0, 0, CUSTOMS) \
	F(ICAR, agentCode, "申报企业代码", STR, 0, 1, 18, 0, 0, NONE) \
	F(ICAR, ebpCode, "电商平台代码", STR, 0, 1, 18, 0, 0, NONE) \
	F(ICAR, ebcCode, "电商企业代码", STR, 0, 1, 18, 0, 0, NONE) \
	F(ICAR, copNo, "企业内部编号", STR, 1, 1, 20, 0, 0, NONE) \
	F(ICAR, preNo, "预录入编号", STR, 1, 18, 18, 0, 0, NONE) \
	F(ICAR, invtNo, "清单编号", STR, 0, 18, 18, 0, 0, NONE) \
	F(ICAR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(ICAR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(ICAR, returnInfo, "回执信息", STR, 1, 1, 1000, 0, 0, NONE)

/* import InvtRefundHead */
#define CEB_FIELDS_IRH(F) \
	F(IRH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(IRH, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(IRH, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(IRH, appStatus, "业务状态", STR, 1, 1, 3, 0, 0, APPSTATUS) \
	F(IRH, customsCode, "申报海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(IRH, orderNo, "订单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(IRH, ebpCode, "电商平台代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IRH, ebpName, "电商平台名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(IRH, ebcCode, "电商企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IRH, ebcName, "电商企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(IRH, logisticsNo, "物流运单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(IRH, logisticsCode, "物流企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IRH, logisticsName, "物流企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(IRH, copNo, "企业内部编号", STR, 0, 0, 20, 0, 0, NONE) \
	F(IRH, preNo, "预录入编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(IRH, invtNo, "清单编号", STR, 1, 1, 18, 0, 0, NONE) \
	F(IRH, buyerIdType, "订购人证件类型", STR, 1, 1, 1, 0, 0, IDTYPE) \
	F(IRH, buyerIdNumber, "订购人证件号码", STR, 1, 1, 60, 0, 0, IDNUMBER) \
	F(IRH, buyerName, "订购人姓名", STR, 1, 1, 60, 0, 0, NONE) \
	F(IRH, buyerTelephone, "订购人电话", STR, 1, 1, 30, 0, 0, NONE) \
	F(IRH, agentCode, "申报企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IRH, agentName, "申报企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(IRH, reason, "退货原因", STR, 1, 1, 1000, 0, 0, NONE) \
	F(IRH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* import InvtRefundList */
#define CEB_FIELDS_IRL(F) \
	F(IRL, gnum, "商品序号", INT, 1, 0, 0, 0, 0, NONE) \
	F(IRL, gcode, "商品编码", STR, 1, 10, 10, 0, 0, HS) \
	F(IRL, gname, "商品名称", STR, 1, 1, 250, 0, 0, NONE) \
	F(IRL, qty, "数量", DEC, 1, 0, 0, 19, 5, NONE) \
	F(IRL, unit, "计量单位", STR, 1, 3, 3, 0, 0, UNIT) \
	F(IRL, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* import InvtRefundReturn */
#define CEB_FIELDS_IRR(F) \
	F(IRR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(IRR, customsCode, "申报海关代码", STR, 0, 4, 4, 0, 0, CUSTOMS) \
	F(IRR, agentCode, "申报企业代码", STR, 0, 1, 18, 0, 0, NONE) \
	F(IRR, ebpCode, "电商平台代码", STR, 0, 1, 18, 0, 0, NONE) \
	F(IRR, ebcCode, "电商企业代码", STR, 0, 1, 18, 0, 0, NONE) \
	F(IRR, copNo, "企业内部编号", STR, 1, 1, 20, 0, 0, NONE) \
	F(IRR, preNo, "预录入编号", STR, 1, 18, 18, 0, 0, NONE) \
	F(IRR, invtNo, "清单编号", STR, 0, 18, 18, 0, 0, NONE) \
	F(IRR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(IRR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(IRR, returnInfo, "回执信息", STR, 1, 1, 1000, 0, 0, NONE)

/* import DeliveryHead */
#define CEB_FIELDS_IDH(F) \
	F(IDH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(IDH, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(IDH, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(IDH, appStatus, "业务状态", STR, 1, 1, 3, 0, 0, APPSTATUS) \
	F(IDH, customsCode, "申报海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(IDH, copNo, "企业内部编号", STR, 0, 0, 20, 0, 0, NONE) \
	F(IDH, preNo, "预录入编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(IDH, rkdNo, "海关接受申报生成的入库单编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(IDH, operatorCode, "监管场所经营人在海关注册登记的编", STR, 1, 1, 18, 0, 0, NONE) \
	F(IDH, operatorName, "监管场所经营人在海关注册登记的名", STR, 1, 1, 100, 0, 0, NONE) \
	F(IDH, ieFlag, "进出口标记", STR, 1, 1, 1, 0, 0, IEFLAG) \
	F(IDH, trafMode, "运输方式", STR, 1, 1, 1, 0, 0, TRAFMODE) \
	F(IDH, trafNo, "运输工具编号", STR, 1, 1, 100, 0, 0, NONE) \
	F(IDH, voyageNo, "航班航次号", STR, 1, 1, 32, 0, 0, NONE) \
	F(IDH, billNo, "提运单号", STR, 1, 1, 37, 0, 0, NONE) \
	F(IDH, logisticsCode, "物流企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IDH, logisticsName, "物流企业名称", STR, 1, 1, 100, 0, 0, NONE) \
	F(IDH, unloadLocation, "货物卸货的仓储存放位置", STR, 0, 0, 100, 0, 0, NONE) \
	F(IDH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* import DeliveryList */
#define CEB_FIELDS_IDL(F) \
	F(IDL, gnum, "商品序号", INT, 1, 0, 0, 0, 0, NONE) \
	F(IDL, logisticsNo, "物流运单编号", STR, 1, 1, 60, 0, 0, NONE) \
	F(IDL, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* import DeliveryReturn */
#define CEB_FIELDS_IDR(F) \
	F(IDR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(IDR, customsCode, "申报海关代码", STR, 0, 4, 4, 0, 0, CUSTOMS) \
	F(IDR, operatorCode, "监管场所经营人代码 监管场所经营", STR, 0, 1, 18, 0, 0, NONE) \
	F(IDR, copNo, "企业内部编号", STR, 0, 0, 20, 0, 0, NONE) \
	F(IDR, preNo, "预录入编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(IDR, rkdNo, "海关审核生成的入库单编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(IDR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(IDR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(IDR, returnInfo, "回执信息", STR, 1, 1, 1000, 0, 0, NONE)

/* import BaseTransfer */
#define CEB_FIELDS_IBT(F) \
	F(IBT, copCode, "报文传输的企业代码", STR, 1, 1, 18, 0, 0, NONE) \
	F(IBT, copName, "报文传输的企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(IBT, dxpMode, "默认为DXP", STR, 1, 3, 3, 0, 0, DXPMODE) \
	F(IBT, dxpId, "向中国电子口岸数据中心申请数据交", STR, 1, 0, 30, 0, 0, NONE) \
	F(IBT, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* BaseSubscribe (both sides) */
#define CEB_FIELDS_BS(F) \
	F(BS, status, "用户订阅单证业务状态的信息", STR, 1, 0, 100, 0, 0, NONE) \
	F(BS, dxpMode, "默认为DXP", STR, 1, 3, 3, 0, 0, DXPMODE) \
	F(BS, dxpAddress, "向中国电子口岸数据中心申请数据交", STR, 1, 0, 100, 0, 0, NONE) \
	F(BS, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* ExtendMessage (both sides) */
#define CEB_FIELDS_EXT(F) \
	F(EXT, name, "自定义报文名称", STR, 1, 0, 30, 0, 0, NONE) \
	F(EXT, version, "自定义报文版本", STR, 1, 0, 30, 0, 0, NONE) \
	F(EXT, Message, "自定义报文实体", ANY, 1, 0, 0, 0, 0, NONE)

/* export OrderHead */
#define CEB_FIELDS_EOH(F) \
	F(EOH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EOH, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(EOH, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(EOH, appStatus, "业务状态", STR, 1, 1, 1, 0, 0, APPSTATUS) \
	F(EOH, orderType, "订单类型", STR, 1, 1, 1, 0, 0, ORDERTYPE) \
	F(EOH, orderNo, "订单编号", STR, 1, 0, 60, 0, 0, NONE) \
	F(EOH, ebpCode, "电商平台代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EOH, ebpName, "电商平台名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EOH, ebcCode, "电商企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EOH, ebcName, "电商企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EOH, goodsValue, "商品价格", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EOH, freight, "运杂费", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EOH, currency, "币制", STR, 1, 3, 3, 0, 0, CURRENCY) \
	F(EOH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export OrderList */
#define CEB_FIELDS_EOL(F) \
	F(EOL, gnum, "商品序号", INT, 1, 0, 0, 5, 0, NONE) \
	F(EOL, itemNo, "企业商品货号", STR, 1, 0, 30, 0, 0, NONE) \
	F(EOL, itemName, "企业商品名称", STR, 1, 0, 250, 0, 0, NONE) \
	F(EOL, itemDescribe, "企业商品描述", STR, 0, 0, 1000, 0, 0, NONE) \
	F(EOL, barCode, "条形码", STR, 0, 0, 50, 0, 0, NONE) \
	F(EOL, unit, "计量单位", STR, 1, 3, 3, 0, 0, UNIT) \
	F(EOL, currency, "币制", STR, 1, 3, 3, 0, 0, CURRENCY) \
	F(EOL, qty, "数量", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EOL, price, "单价", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EOL, totalPrice, "总价", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EOL, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export OrderReturn */
#define CEB_FIELDS_EOR(F) \
	F(EOR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EOR, ebpCode, "电商平台代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EOR, ebcCode, "电商企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EOR, orderNo, "订单编号", STR, 1, 0, 60, 0, 0, NONE) \
	F(EOR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(EOR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(EOR, returnInfo, "回执信息", STR, 1, 0, 1000, 0, 0, NONE)

/* export Receipts */
#define CEB_FIELDS_ERC(F) \
	F(ERC, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ERC, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(ERC, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(ERC, appStatus, "业务状态", STR, 1, 1, 1, 0, 0, APPSTATUS) \
	F(ERC, ebpCode, "电商平台代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(ERC, ebpName, "电商平台名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(ERC, ebcCode, "电商企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(ERC, ebcName, "电商企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(ERC, orderNo, "订单编号", STR, 1, 0, 60, 0, 0, NONE) \
	F(ERC, payCode, "支付企业代码", STR, 0, 0, 18, 0, 0, NONE) \
	F(ERC, payName, "支付企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(ERC, payNo, "支付交易编号", STR, 0, 0, 60, 0, 0, NONE) \
	F(ERC, charge, "收款金额-支付企业的订单交易金额", DEC, 1, 0, 0, 19, 5, NONE) \
	F(ERC, currency, "币制", STR, 1, 3, 3, 0, 0, CURRENCY) \
	F(ERC, accountingDate, "到账时间 格式", STR, 1, 14, 14, 0, 0, TIME14) \
	F(ERC, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export ReceiptsReturn */
#define CEB_FIELDS_ERCR(F) \
	F(ERCR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ERCR, ebcCode, "电商企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(ERCR, orderNo, "订单编号", STR, 1, 0, 60, 0, 0, NONE) \
	F(ERCR, payNo, "支付交易编号-支付交易编号", STR, 0, 0, 60, 0, 0, NONE) \
	F(ERCR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(ERCR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(ERCR, returnInfo, "回执信息", STR, 1, 0, 1000, 0, 0, NONE)

/* export Logistics */
#define CEB_FIELDS_ELG(F) \
	F(ELG, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ELG, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(ELG, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(ELG, appStatus, "业务状态", STR, 1, 1, 1, 0, 0, APPSTATUS) \
	F(ELG, logisticsCode, "物流企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(ELG, logisticsName, "物流企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(ELG, logisticsNo, "物流运单编号", STR, 1, 0, 32, 0, 0, NONE) \
	F(ELG, freight, "运杂费", DEC, 1, 0, 0, 19, 5, NONE) \
	F(ELG, insuredFee, "保价费", DEC, 1, 0, 0, 19, 5, NONE) \
	F(ELG, currency, "币制", STR, 1, 3, 3, 0, 0, CURRENCY) \
	F(ELG, grossWeight, "毛重", DEC, 1, 0, 0, 19, 5, NONE) \
	F(ELG, packNo, "件数", INT, 1, 0, 0, 9, 0, NONE) \
	F(ELG, goodsInfo, "主要货物信息", STR, 1, 0, 200, 0, 0, NONE) \
	F(ELG, ebcCode, "电商企业代码", STR, 0, 0, 18, 0, 0, NONE) \
	F(ELG, ebcName, "电商企业名称", STR, 0, 0, 100, 0, 0, NONE) \
	F(ELG, ebcTelephone, "收发货人电话", STR, 0, 0, 50, 0, 0, NONE) \
	F(ELG, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export LogisticsReturn */
#define CEB_FIELDS_ELGR(F) \
	F(ELGR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ELGR, logisticsCode, "物流企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(ELGR, logisticsNo, "物流运单编号", STR, 1, 0, 32, 0, 0, NONE) \
	F(ELGR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(ELGR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(ELGR, returnInfo, "回执信息", STR, 1, 0, 1000, 0, 0, NONE)

/* export ArrivalHead */
#define CEB_FIELDS_EAH(F) \
	F(EAH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EAH, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(EAH, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(EAH, appStatus, "业务状态", STR, 1, 1, 1, 0, 0, APPSTATUS) \
	F(EAH, customsCode, "申报海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(EAH, copNo, "企业内部编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(EAH, preNo, "预录入编号", STR, 0, 18, 18, 0, 0, NONE) \
	F(EAH, operatorCode, "监管场所经营人代码-监管场所经营", STR, 1, 0, 18, 0, 0, NONE) \
	F(EAH, operatorName, "监管场所经营人名称-监管场所经营", STR, 1, 0, 100, 0, 0, NONE) \
	F(EAH, loctNo, "监管场所代码", STR, 0, 0, 10, 0, 0, NONE) \
	F(EAH, ieFlag, "进出口标记", STR, 1, 1, 1, 0, 0, IEFLAG) \
	F(EAH, trafMode, "运输方式", STR, 1, 1, 1, 0, 0, TRAFMODE) \
	F(EAH, billNo, "提运单号", STR, 0, 0, 37, 0, 0, NONE) \
	F(EAH, domesticTrafNo, "境内运输工具编号-运往海关监管场", STR, 1, 0, 100, 0, 0, NONE) \
	F(EAH, logisticsCode, "物流企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EAH, logisticsName, "物流企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EAH, msgCount, "报文总数", INT, 1, 0, 0, 9, 0, NONE) \
	F(EAH, msgSeqNo, "报文序号", INT, 1, 0, 0, 9, 0, NONE) \
	F(EAH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export ArrivalList */
#define CEB_FIELDS_EAL(F) \
	F(EAL, gnum, "商品序号", INT, 1, 0, 0, 5, 0, NONE) \
	F(EAL, logisticsNo, "物流运单编号", STR, 1, 0, 32, 0, 0, NONE) \
	F(EAL, totalPackageNo, "总包号", STR, 0, 0, 37, 0, 0, NONE) \
	F(EAL, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export ArrivalReturn */
#define CEB_FIELDS_EAR(F) \
	F(EAR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EAR, operatorCode, "监管场所经营人代码-监管场所经营", STR, 1, 0, 18, 0, 0, NONE) \
	F(EAR, logisticsCode, "物流企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EAR, preNo, "预录入编号", STR, 1, 18, 18, 0, 0, NONE) \
	F(EAR, copNo, "企业内部编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(EAR, billNo, "提运单号", STR, 1, 0, 37, 0, 0, NONE) \
	F(EAR, msgSeqNo, "报文序号", INT, 1, 0, 0, 9, 0, NONE) \
	F(EAR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(EAR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(EAR, returnInfo, "回执信息", STR, 1, 0, 1000, 0, 0, NONE)

/* export DepartureHead */
#define CEB_FIELDS_EDH(F) \
	F(EDH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EDH, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(EDH, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(EDH, appStatus, "业务状态", STR, 1, 1, 1, 0, 0, APPSTATUS) \
	F(EDH, customsCode, "申报海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(EDH, copNo, "企业内部编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(EDH, preNo, "预录入编号", STR, 0, 18, 18, 0, 0, NONE) \
	F(EDH, logisticsCode, "物流企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EDH, logisticsName, "物流企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EDH, trafMode, "运输方式", STR, 1, 1, 1, 0, 0, TRAFMODE) \
	F(EDH, trafName, "运输工具名称", STR, 0, 0, 100, 0, 0, NONE) \
	F(EDH, voyageNo, "航班航次号", STR, 0, 0, 32, 0, 0, NONE) \
	F(EDH, billNo, "提运单号", STR, 0, 0, 37, 0, 0, NONE) \
	F(EDH, leaveTime, "离境时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(EDH, msgCount, "报文总数", INT, 1, 0, 0, 9, 0, NONE) \
	F(EDH, msgSeqNo, "报文序号", INT, 1, 0, 0, 9, 0, NONE) \
	F(EDH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export DepartureList */
#define CEB_FIELDS_EDL(F) \
	F(EDL, gnum, "商品序号", INT, 1, 0, 0, 5, 0, NONE) \
	F(EDL, totalPackageNo, "总包号", STR, 0, 0, 37, 0, 0, NONE) \
	F(EDL, logisticsNo, "物流运单编号", STR, 1, 0, 32, 0, 0, NONE) \
	F(EDL, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export DepartureReturn */
#define CEB_FIELDS_EDR(F) \
	F(EDR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EDR, logisticsCode, "物流企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EDR, copNo, "企业内部编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(EDR, preNo, "预录入编号", STR, 1, 18, 18, 0, 0, NONE) \
	F(EDR, msgSeqNo, "报文序号", INT, 1, 0, 0, 9, 0, NONE) \
	F(EDR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(EDR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(EDR, returnInfo, "回执信息", STR, 1, 0, 1000, 0, 0, NONE)

/* export InventoryHead */
#define CEB_FIELDS_EIH(F) \
	F(EIH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EIH, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(EIH, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(EIH, appStatus, "业务状态", STR, 1, 1, 1, 0, 0, APPSTATUS) \
	F(EIH, customsCode, "申报海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(EIH, ebpCode, "电商平台代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EIH, ebpName, "电商平台名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EIH, orderNo, "订单编号", STR, 1, 0, 60, 0, 0, NONE) \
	F(EIH, logisticsCode, "物流企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EIH, logisticsName, "物流企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EIH, logisticsNo, "物流运单编号", STR, 1, 0, 32, 0, 0, NONE) \
	F(EIH, copNo, "企业内部编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(EIH, preNo, "预录入编号", STR, 0, 18, 18, 0, 0, NONE) \
	F(EIH, invtNo, "清单编号", STR, 0, 0, 20, 0, 0, NONE) \
	F(EIH, ieFlag, "进出口标记", STR, 1, 1, 1, 0, 0, IEFLAG) \
	F(EIH, portCode, "口岸海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(EIH, ieDate, "进", STR, 1, 8, 8, 0, 0, DATE8) \
	F(EIH, statisticsFlag, "申报业务类型", STR, 1, 1, 1, 0, 0, STATFLAG) \
	F(EIH, agentCode, "申报企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EIH, agentName, "申报企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EIH, ebcCode, "电商企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EIH, ebcName, "电商企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EIH, ownerCode, "生产销售单位代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EIH, ownerName, "生产销售单位名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EIH, iacCode, "区内企业代码", STR, 0, 0, 18, 0, 0, NONE) \
	F(EIH, iacName, "区内企业名称", STR, 0, 0, 100, 0, 0, NONE) \
	F(EIH, emsNo, "账册编号", STR, 0, 0, 30, 0, 0, NONE) \
	F(EIH, tradeMode, "贸易方式", STR, 1, 4, 4, 0, 0, TRADEMODE) \
	F(EIH, trafMode, "运输方式", STR, 1, 1, 1, 0, 0, TRAFMODE) \
	F(EIH, trafName, "运输工具名称", STR, 0, 0, 100, 0, 0, NONE) \
	F(EIH, voyageNo, "航班航次号", STR, 0, 0, 32, 0, 0, NONE) \
	F(EIH, billNo, "提运单号", STR, 0, 0, 37, 0, 0, NONE) \
	F(EIH, totalPackageNo, "总包号", STR, 0, 0, 37, 0, 0, NONE) \
	F(EIH, loctNo, "监管场所代码", STR, 0, 0, 10, 0, 0, NONE) \
	F(EIH, licenseNo, "许可证件号", STR, 0, 0, 19, 0, 0, NONE) \
	F(EIH, country, "国家(地区)", STR, 1, 3, 3, 0, 0, COUNTRY) \
	F(EIH, POD, "指运港代码", STR, 1, 3, 4, 0, 0, NONE) \
	F(EIH, freight, "运杂费", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EIH, fCurrency, "运费币制", STR, 1, 3, 3, 0, 0, CURRENCY) \
	F(EIH, fFlag, "运费标志", STR, 1, 1, 1, 0, 0, FEEFLAG) \
	F(EIH, insuredFee, "保价费", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EIH, iCurrency, "保费币制", STR, 1, 3, 3, 0, 0, CURRENCY) \
	F(EIH, iFlag, "保费标志", STR, 1, 1, 1, 0, 0, FEEFLAG) \
	F(EIH, wrapType, "包装种类代码", STR, 1, 1, 1, 0, 0, WRAPTYPE) \
	F(EIH, packNo, "件数", INT, 1, 0, 0, 9, 0, NONE) \
	F(EIH, grossWeight, "毛重", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EIH, netWeight, "净重", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EIH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export InventoryList */
#define CEB_FIELDS_EIL(F) \
	F(EIL, gnum, "商品序号", INT, 1, 0, 0, 5, 0, NONE) \
	F(EIL, itemNo, "企业商品货号", STR, 1, 0, 20, 0, 0, NONE) \
	F(EIL, itemRecordNo, "账册备案料号", STR, 0, 0, 30, 0, 0, NONE) \
	F(EIL, itemName, "企业商品名称", STR, 0, 0, 250, 0, 0, NONE) \
	F(EIL, gcode, "商品编码", STR, 1, 10, 10, 0, 0, HS) \
	F(EIL, gname, "商品名称", STR, 1, 0, 250, 0, 0, NONE) \
	F(EIL, gmodel, "规格型号", STR, 1, 0, 250, 0, 0, NONE) \
	F(EIL, barCode, "条形码", STR, 1, 0, 50, 0, 0, NONE) \
	F(EIL, country, "国家(地区)", STR, 1, 3, 3, 0, 0, COUNTRY) \
	F(EIL, currency, "币制", STR, 1, 3, 3, 0, 0, CURRENCY) \
	F(EIL, qty, "数量", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EIL, qty1, "法定数量", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EIL, qty2, "第二数量", DEC, 0, 0, 0, 19, 5, NONE) \
	F(EIL, unit, "计量单位", STR, 1, 3, 3, 0, 0, UNIT) \
	F(EIL, unit1, "法定计量单位", STR, 1, 3, 3, 0, 0, UNIT) \
	F(EIL, unit2, "第二计量单位", STR, 0, 0, 3, 0, 0, UNIT) \
	F(EIL, price, "单价", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EIL, totalPrice, "总价", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EIL, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export InventoryReturn */
#define CEB_FIELDS_EIR(F) \
	F(EIR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EIR, agentCode, "申报企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EIR, copNo, "企业内部编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(EIR, preNo, "预录入编号", STR, 1, 18, 18, 0, 0, NONE) \
	F(EIR, invtNo, "清单编号", STR, 1, 0, 20, 0, 0, NONE) \
	F(EIR, ebcCode, "电商企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EIR, ebpCode, "电商平台代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EIR, orderNo, "订单编号", STR, 1, 0, 60, 0, 0, NONE) \
	F(EIR, statisticsFlag, "申报业务类型", STR, 1, 1, 1, 0, 0, STATFLAG) \
	F(EIR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(EIR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(EIR, returnInfo, "回执信息", STR, 1, 0, 1000, 0, 0, NONE)

/* export InvtCancel */
#define CEB_FIELDS_ECA(F) \
	F(ECA, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ECA, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(ECA, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(ECA, appStatus, "业务状态", STR, 1, 1, 1, 0, 0, APPSTATUS) \
	F(ECA, customsCode, "申报海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(ECA, copNo, "企业内部编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(ECA, preNo, "预录入编号", STR, 0, 18, 18, 0, 0, NONE) \
	F(ECA, invtNo, "清单编号", STR, 1, 0, 20, 0, 0, NONE) \
	F(ECA, reason, "原因", STR, 1, 0, 1000, 0, 0, NONE) \
	F(ECA, agentCode, "申报企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(ECA, agentName, "申报企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(ECA, ebcCode, "电商企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(ECA, ebcName, "电商企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(ECA, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export InvtCancelReturn */
#define CEB_FIELDS_ECAR(F) \
	F(ECAR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ECAR, agentCode, "申报企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(ECAR, copNo, "企业内部编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(ECAR, preNo, "预录入编号", STR, 1, 18, 18, 0, 0, NONE) \
	F(ECAR, invtNo, "清单编号", STR, 1, 0, 20, 0, 0, NONE) \
	F(ECAR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(ECAR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(ECAR, returnInfo, "回执信息", STR, 1, 0, 1000, 0, 0, NONE)

/* export WayBillHead */
#define CEB_FIELDS_EWH(F) \
	F(EWH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EWH, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(EWH, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(EWH, appStatus, "业务状态", STR, 1, 1, 1, 0, 0, APPSTATUS) \
	F(EWH, customsCode, "申报海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(EWH, copNo, "企业内部编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(EWH, preNo, "预录入编号", STR, 0, 18, 18, 0, 0, NONE) \
	F(EWH, agentCode, "申报企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EWH, agentName, "申报企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EWH, loctNo, "监管场所代码", STR, 0, 0, 10, 0, 0, NONE) \
	F(EWH, trafMode, "运输方式", STR, 1, 1, 1, 0, 0, TRAFMODE) \
	F(EWH, trafName, "运输工具名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EWH, voyageNo, "航班航次号", STR, 1, 0, 32, 0, 0, NONE) \
	F(EWH, billNo, "提运单号", STR, 1, 0, 37, 0, 0, NONE) \
	F(EWH, domesticTrafNo, "境内运输工具编号", STR, 0, 0, 100, 0, 0, NONE) \
	F(EWH, grossWeight, "毛重", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EWH, logisticsCode, "物流企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EWH, logisticsName, "物流企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EWH, msgCount, "报文总数", INT, 1, 0, 0, 9, 0, NONE) \
	F(EWH, msgSeqNo, "报文序号", INT, 1, 0, 0, 9, 0, NONE) \
	F(EWH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export WayBillList */
#define CEB_FIELDS_EWL(F) \
	F(EWL, gnum, "商品序号", INT, 1, 0, 0, 5, 0, NONE) \
	F(EWL, totalPackageNo, "总包号", STR, 0, 0, 60, 0, 0, NONE) \
	F(EWL, logisticsNo, "物流运单编号", STR, 1, 0, 32, 0, 0, NONE) \
	F(EWL, invtNo, "清单编号", STR, 0, 0, 20, 0, 0, NONE) \
	F(EWL, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export WayBillReturn */
#define CEB_FIELDS_EWR(F) \
	F(EWR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EWR, agentCode, "申报企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EWR, logisticsCode, "物流企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EWR, copNo, "企业内部编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(EWR, preNo, "预录入编号", STR, 1, 18, 18, 0, 0, NONE) \
	F(EWR, billNo, "提运单号", STR, 1, 0, 37, 0, 0, NONE) \
	F(EWR, msgSeqNo, "报文序号", INT, 1, 0, 0, 9, 0, NONE) \
	F(EWR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(EWR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(EWR, returnInfo, "回执信息", STR, 1, 0, 1000, 0, 0, NONE)

/* export SummaryApplyHead */
#define CEB_FIELDS_ESH(F) \
	F(ESH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ESH, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(ESH, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(ESH, appStatus, "业务状态", STR, 1, 1, 1, 0, 0, APPSTATUS) \
	F(ESH, customsCode, "申报海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(ESH, copNo, "企业内部编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(ESH, preNo, "预录入编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(ESH, sumNo, "汇总申请编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(ESH, agentCode, "申报企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(ESH, agentName, "申报企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(ESH, ebcCode, "电商企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(ESH, ebcName, "电商企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(ESH, declAgentCode, "报关单位代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(ESH, declAgentName, "报关单位名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(ESH, startTime, "汇总开始时间", STR, 0, 14, 14, 0, 0, TIME14) \
	F(ESH, endTime, "汇总结束时间", STR, 0, 14, 14, 0, 0, TIME14) \
	F(ESH, loctNo, "监管场所代码", STR, 0, 0, 10, 0, 0, NONE) \
	F(ESH, summaryFlag, "收发货人汇总标志", STR, 1, 1, 1, 0, 0, NONE) \
	F(ESH, itemNameFlag, "按商品名汇总标志", STR, 1, 1, 1, 0, 0, NONE) \
	F(ESH, msgCount, "报文总数", INT, 1, 0, 0, 9, 0, NONE) \
	F(ESH, msgSeqNo, "报文序号", INT, 1, 0, 0, 9, 0, NONE) \
	F(ESH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export InvtRefundList */
#define CEB_FIELDS_EFL(F) \
	F(EFL, gnum, "商品序号", INT, 1, 0, 0, 4, 0, NONE) \
	F(EFL, gcode, "商品编码", STR, 1, 0, 10, 0, 0, HS) \
	F(EFL, gname, "商品名称", STR, 1, 0, 250, 0, 0, NONE) \
	F(EFL, gmodel, "规格型号", STR, 1, 0, 250, 0, 0, NONE) \
	F(EFL, qty, "数量", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EFL, qty1, "法定数量", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EFL, unit, "计量单位", STR, 1, 3, 3, 0, 0, UNIT) \
	F(EFL, unit1, "法定计量单位", STR, 1, 3, 3, 0, 0, UNIT) \
	F(EFL, qty2, "第二数量", DEC, 0, 0, 0, 19, 5, NONE) \
	F(EFL, unit2, "第二计量单位", STR, 0, 3, 3, 0, 0, UNIT) \
	F(EFL, note, "备注", STR, 0, 0, 500, 0, 0, NONE)

/* export InvtRefundHead */
#define CEB_FIELDS_EFH(F) \
	F(EFH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EFH, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(EFH, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(EFH, appStatus, "业务状态", STR, 1, 1, 1, 0, 0, APPSTATUS) \
	F(EFH, customsCode, "申报海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(EFH, loctNo, "监管场所代码", STR, 0, 0, 10, 0, 0, NONE) \
	F(EFH, ebpCode, "电商平台代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EFH, ebpName, "电商平台名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EFH, ebcCode, "电商企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EFH, ebcName, "电商企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EFH, logisticsNo, "物流运单编号", STR, 1, 0, 80, 0, 0, NONE) \
	F(EFH, logisticsCode, "物流企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EFH, logisticsName, "物流企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EFH, coElNo, "企业生成标识唯一编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(EFH, preNo, "预录入编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(EFH, invtNo, "清单编号", STR, 1, 0, 20, 0, 0, NONE) \
	F(EFH, tradeMode, "贸易方式", STR, 0, 4, 4, 0, 0, TRADEMODE) \
	F(EFH, agentCode, "申报企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EFH, agentName, "申报企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EFH, billNo, "提运单号", STR, 1, 0, 37, 0, 0, NONE) \
	F(EFH, ieFlag, "进出口标记", STR, 1, 0, 1, 0, 0, IEFLAG) \
	F(EFH, trafMode, "运输方式", STR, 1, 0, 1, 0, 0, TRAFMODE) \
	F(EFH, trafName, "运输工具名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EFH, portCode, "口岸海关代码", STR, 1, 0, 4, 0, 0, CUSTOMS) \
	F(EFH, reason, "退货原因", STR, 1, 0, 500, 0, 0, NONE) \
	F(EFH, country, "国家(地区)", STR, 1, 0, 3, 0, 0, COUNTRY) \
	F(EFH, voyageNo, "航班航次号", STR, 1, 0, 32, 0, 0, NONE) \
	F(EFH, note, "备注", STR, 0, 0, 500, 0, 0, NONE)

/* export InvtRefundDetail */
#define CEB_FIELDS_EFD(F) \
	F(EFD, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EFD, appType, "报送类型", STR, 1, 1, 1, 0, 0, APPTYPE) \
	F(EFD, appTime, "报送时间", STR, 1, 14, 14, 0, 0, TIME14) \
	F(EFD, appStatus, "业务状态", STR, 1, 1, 1, 0, 0, APPSTATUS) \
	F(EFD, customsCode, "申报海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(EFD, operatorCode, "监管场所经营人在海关注册登记的编", STR, 1, 0, 18, 0, 0, NONE) \
	F(EFD, operatorName, "物流企业的海关注册登记编号或统一", STR, 1, 0, 100, 0, 0, NONE) \
	F(EFD, logisticsCode, "物流企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EFD, logisticsName, "物流企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EFD, logisticsNo, "物流运单编号", STR, 1, 0, 80, 0, 0, NONE) \
	F(EFD, invtNo, "清单编号", STR, 0, 0, 20, 0, 0, NONE) \
	F(EFD, coElNo, "企业内部标识单证的编号", STR, 1, 0, 20, 0, 0, NONE) \
	F(EFD, preNo, "预录入编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(EFD, billNo, "提运单号", STR, 1, 0, 37, 0, 0, NONE) \
	F(EFD, ieFlag, "进出口标记", STR, 1, 1, 1, 0, 0, IEFLAG) \
	F(EFD, trafMode, "运输方式", STR, 1, 1, 1, 0, 0, TRAFMODE) \
	F(EFD, trafName, "运输工具名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EFD, voyageNo, "航班航次号", STR, 1, 0, 32, 0, 0, NONE) \
	F(EFD, location, "卸货堆货的仓储位置", STR, 0, 0, 250, 0, 0, NONE) \
	F(EFD, note, "备注", STR, 0, 0, 250, 0, 0, NONE)

/* export InvtRefundDetailReturn */
#define CEB_FIELDS_EFDR(F) \
	F(EFDR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EFDR, operatorCode, "监管场所经营人在海关注册登记的编", STR, 1, 0, 18, 0, 0, NONE) \
	F(EFDR, logisticsCode, "物流企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EFDR, logisticsNo, "物流运单编号", STR, 1, 0, 80, 0, 0, NONE) \
	F(EFDR, coElNo, "企业内部标识单证的编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(EFDR, preNo, "预录入编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(EFDR, returnStatus, "回执状态", STR, 1, 0, 10, 0, 0, RETSTATUS) \
	F(EFDR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(EFDR, returnInfo, "回执信息", STR, 1, 0, 1000, 0, 0, NONE)

/* export RefundReturn */
#define CEB_FIELDS_EFR(F) \
	F(EFR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EFR, ebpCode, "电商平台代码", STR, 0, 0, 18, 0, 0, NONE) \
	F(EFR, ebcCode, "电商企业代码", STR, 0, 0, 18, 0, 0, NONE) \
	F(EFR, agentCode, "申报企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EFR, coElNo, "企业内部标识单证的编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(EFR, preNo, "预录入编号", STR, 0, 0, 18, 0, 0, NONE) \
	F(EFR, invtNo, "清单编号", STR, 1, 0, 20, 0, 0, NONE) \
	F(EFR, returnStatus, "回执状态", STR, 1, 0, 10, 0, 0, RETSTATUS) \
	F(EFR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(EFR, returnInfo, "回执信息", STR, 1, 0, 1000, 0, 0, NONE)

/* export SummaryApplyList */
#define CEB_FIELDS_ESL(F) \
	F(ESL, invtNo, "清单编号", STR, 1, 0, 20, 0, 0, NONE)

/* export SummaryReturn */
#define CEB_FIELDS_ESR(F) \
	F(ESR, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(ESR, agentCode, "申报企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(ESR, ebcCode, "电商企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(ESR, copNo, "企业内部编号", STR, 1, 0, 30, 0, 0, NONE) \
	F(ESR, preNo, "预录入编号", STR, 1, 18, 18, 0, 0, NONE) \
	F(ESR, sumNo, "汇总申请编号", STR, 0, 18, 18, 0, 0, NONE) \
	F(ESR, msgSeqNo, "报文序号", INT, 1, 0, 0, 9, 0, NONE) \
	F(ESR, returnStatus, "回执状态", STR, 1, 1, 10, 0, 0, RETSTATUS) \
	F(ESR, returnTime, "回执时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(ESR, returnInfo, "回执信息", STR, 1, 0, 1000, 0, 0, NONE)

/* export SummaryResultHead */
#define CEB_FIELDS_EUH(F) \
	F(EUH, guid, "系统唯一序号", STR, 1, 36, 36, 0, 0, GUID) \
	F(EUH, customsCode, "申报海关代码", STR, 1, 4, 4, 0, 0, CUSTOMS) \
	F(EUH, sumNo, "汇总申请编号", STR, 1, 18, 18, 0, 0, NONE) \
	F(EUH, opDate, "汇总处理时间-汇总处理时间", STR, 1, 17, 17, 0, 0, TIME17) \
	F(EUH, declSeqNo, "汇总统一编号-海关生成唯一对应报", STR, 1, 18, 18, 0, 0, NONE) \
	F(EUH, decTmpNo, "报关单暂存编号-电子口岸报关单暂", STR, 0, 18, 18, 0, 0, NONE) \
	F(EUH, decPreNo, "报关单预录入编号-电子口岸报关单", STR, 0, 18, 18, 0, 0, NONE) \
	F(EUH, entryId, "报关单编号-海关生成的报关单编号", STR, 0, 18, 18, 0, 0, NONE) \
	F(EUH, decState, "报关单状态-报关单状态", STR, 1, 1, 3, 0, 0, NONE) \
	F(EUH, agentCode, "申报企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EUH, agentName, "申报企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EUH, ebcCode, "电商企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EUH, ebcName, "电商企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EUH, declAgentCode, "报关单位代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EUH, declAgentName, "报关单位名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EUH, grossWeight, "毛重", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EUH, netWeight, "净重", DEC, 1, 0, 0, 19, 5, NONE) \
	F(EUH, msgCount, "报文总数", INT, 1, 0, 0, 9, 0, NONE) \
	F(EUH, msgSeqNo, "报文序号", INT, 1, 0, 0, 9, 0, NONE) \
	F(EUH, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

/* export SummaryResultList */
#define CEB_FIELDS_EUL(F) \
	F(EUL, invtNo, "清单编号", STR, 1, 0, 20, 0, 0, NONE) \
	F(EUL, logisticsNo, "物流运单编号", STR, 1, 0, 32, 0, 0, NONE) \
	F(EUL, gseqno, "汇总结果单的顺序号", INT, 1, 0, 0, 5, 0, NONE) \
	F(EUL, gnum, "商品序号", INT, 1, 0, 0, 5, 0, NONE) \
	F(EUL, gcode, "商品编码", STR, 1, 10, 10, 0, 0, HS)

/* export BaseTransfer */
#define CEB_FIELDS_EBT(F) \
	F(EBT, copCode, "报文传输的企业代码", STR, 1, 0, 18, 0, 0, NONE) \
	F(EBT, copName, "报文传输的企业名称", STR, 1, 0, 100, 0, 0, NONE) \
	F(EBT, dxpMode, "默认为DXP", STR, 1, 3, 3, 0, 0, DXPMODE) \
	F(EBT, dxpId, "向中国电子口岸数据中心申请数据交", STR, 1, 0, 30, 0, 0, NONE) \
	F(EBT, note, "备注", STR, 0, 0, 1000, 0, 0, NONE)

#endif
