"""The input tables and their columns, declared in one place.

Each :class:`Table` has a Chinese name (the sheet or CSV name users see), an English
name (the canonical key, also accepted as a sheet or CSV name) and its columns. Each
:class:`Column` has a canonical key (the DataFrame column name), a Chinese header,
accepted aliases, a value type, whether the column must be present (``required``),
whether a blank cell is allowed (``nullable``), an allowed range and, for dictionary
columns, the allowed choices.

Value types (see :mod:`salesplan_xl.data.normalise`):

``text``    stripped text; numbers read from Excel as ``1001.0`` become ``"1001"``
``money``   yuan, float rounded to the cent
``number``  a plain float (quantities, hours)
``int``     a whole number
``date``    a calendar date
``month``   ``"YYYY-MM"``
``bool``    是/否, Y/N, 1/0, TRUE/FALSE; blank means False
``percent`` a fraction (``"13%"`` -> 0.13)
``choice``  one of ``choices``; a value that starts with a choice followed by a
            non-letter is accepted (``"A 重点客户"`` -> ``"A"``)

Header matching ignores case, spaces, underscores, hyphens, full-width forms, a
trailing ``*`` (required marker) and, failing an exact match, a trailing
parenthesised unit (``信用额度(元)`` matches ``信用额度``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from salesplan_xl.data.normalise import to_halfwidth

TEXT = "text"
MONEY = "money"
NUMBER = "number"
INT = "int"
DATE = "date"
MONTH = "month"
BOOL = "bool"
PERCENT = "percent"
CHOICE = "choice"

VALUE_TYPES = (TEXT, MONEY, NUMBER, INT, DATE, MONTH, BOOL, PERCENT, CHOICE)

# Dictionaries (FORMS.md "Dictionaries"): the template's dropdown lists.
REGIONS = ("华东", "华南", "华北", "华中", "西南", "西北", "东北")
GRADES = ("A", "B", "C")
GRADE_LABELS = ("A 重点客户", "B 普通客户", "C 非优先客户")
CUSTOMER_TYPES = ("代理商", "经销商", "零售商", "直营", "终端用户")
CUSTOMER_SOURCES = (
    "促销",
    "搜索引擎",
    "广告",
    "转介绍",
    "线上注册",
    "线上咨询",
    "预约上门",
    "陌拜",
    "电话咨询",
    "邮件咨询",
)
VISIT_METHODS = ("上门拜访", "打电话", "微信沟通", "发短信", "视频会议", "陪访")
PAYMENT_METHODS = ("电汇", "网上转账", "银行承兑汇票", "支票", "现金", "支付宝", "微信支付", "其他")
CREDIT_GRADES = ("AAA", "AA", "A", "B", "C")
OWNERSHIPS = ("国有", "集体", "合资", "私营", "个体", "有限责任公司")
UNITS = ("个", "台", "套", "箱", "盒", "瓶", "吨", "千克", "米")

#: Dictionary name (also the template's defined name) -> options.
DICTIONARIES: dict[str, tuple[str, ...]] = {
    "区域": REGIONS,
    "客户等级": GRADE_LABELS,
    "客户类型": CUSTOMER_TYPES,
    "客户来源": CUSTOMER_SOURCES,
    "企业性质": OWNERSHIPS,
    "信用等级": CREDIT_GRADES,
    "收款方式": PAYMENT_METHODS,
    "拜访方式": VISIT_METHODS,
    "计量单位": UNITS,
}


#: Excel's limit on the characters in one cell.
EXCEL_CELL_LIMIT = 32_767
#: Text columns: the longest value that makes sense (a longer one is an export error:
#: a whole document pasted into a cell). Ids and codes are short; notes may be long.
DEFAULT_TEXT_LIMIT = 200
TEXT_LIMITS = {
    "customer_id": 64,
    "rep_id": 64,
    "invoice_id": 64,
    "product_id": 64,
    "contract_id": 64,
    "tax_id": 64,
    "phone": 100,
    "address": 500,
    "product": 500,
    "spec": 500,
    "purpose": 2_000,
    "result": 2_000,
}


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    type: str = TEXT
    aliases: tuple[str, ...] = ()
    required: bool = False  # the column must be present
    nullable: bool = True  # a blank cell is allowed
    min: float | None = None
    max: float | None = None
    unique: bool = False
    choices: tuple[str, ...] = ()
    dictionary: str | None = None  # name in DICTIONARIES for the template dropdown
    en: str = ""  # English label for notes
    max_len: int | None = None  # longest text accepted; None: TEXT_LIMITS or the default

    def __post_init__(self) -> None:
        if self.type not in VALUE_TYPES:
            raise ValueError(f"unknown value type {self.type!r} for column {self.key}")

    @property
    def text_limit(self) -> int:
        """The longest text this column accepts (characters): its ``max_len``, else the
        limit for its key in :data:`TEXT_LIMITS`, else :data:`DEFAULT_TEXT_LIMIT`; never
        more than Excel's 32,767 characters in a cell."""
        limit = self.max_len or TEXT_LIMITS.get(self.key, DEFAULT_TEXT_LIMIT)
        return min(limit, EXCEL_CELL_LIMIT)

    @property
    def label(self) -> str:
        """English label: ``en`` or the key with spaces."""
        return self.en or self.key.replace("_", " ")

    @property
    def names(self) -> tuple[str, ...]:
        """Every accepted header: Chinese, key, aliases."""
        return (self.zh, self.key, *self.aliases)


@dataclass(frozen=True)
class Table:
    key: str
    zh: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    optional: bool = False  # the whole sheet may be absent
    one_of: tuple[tuple[str, ...], ...] = ()  # at least one column of each group present
    en: str = ""
    description: str = ""
    _by_key: dict[str, Column] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_key.update({c.key: c for c in self.columns})

    def column(self, key: str) -> Column:
        return self._by_key[key]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def required_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.zh, self.key, *self.aliases)


def _c(key: str, zh: str, type: str = TEXT, *aliases: str, **kw) -> Column:
    return Column(key=key, zh=zh, type=type, aliases=tuple(aliases), **kw)


_CUSTOMER_ID_ALIASES = ("客户代码", "客户编码", "客户号", "客户ID", "Customer ID", "cust_id")
_REP_ID_ALIASES = (
    "业务员代码",
    "业务员编码",
    "销售员编号",
    "员工编号",
    "工号",
    "Rep ID",
    "salesperson_id",
)

CUSTOMERS = Table(
    key="customers",
    zh="客户",
    en="customers",
    aliases=("客户表", "客户资料", "客户档案", "客户清单", "customer"),
    description="One row per customer: id, name, region; optional department, rep, grade, credit data.",
    columns=(
        _c(
            "customer_id",
            "客户编号",
            TEXT,
            *_CUSTOMER_ID_ALIASES,
            required=True,
            nullable=False,
            unique=True,
            en="customer id",
        ),
        _c(
            "name",
            "客户名称",
            TEXT,
            "客户全称",
            "公司名称",
            "单位名称",
            "customer_name",
            "Customer Name",
            required=True,
            nullable=False,
            en="customer name",
        ),
        _c(
            "region",
            "区域",
            TEXT,
            "地区",
            "销售区域",
            "大区",
            "客户地区",
            required=True,
            nullable=False,
            dictionary="区域",
        ),
        _c("department", "部门", TEXT, "销售部门", "所属部门", "dept"),
        _c("rep_id", "业务员编号", TEXT, *_REP_ID_ALIASES, en="rep id"),
        _c(
            "type",
            "客户类型",
            TEXT,
            "类型",
            "customer_type",
            dictionary="客户类型",
            en="customer type",
        ),
        _c(
            "grade",
            "客户等级",
            CHOICE,
            "等级",
            "客户级别",
            "customer_grade",
            choices=GRADES,
            dictionary="客户等级",
        ),
        _c("source", "客户来源", TEXT, "来源", "customer_source", dictionary="客户来源"),
        _c("credit_limit", "信用额度", MONEY, "授信额度", "credit limit", min=0, en="credit limit"),
        _c(
            "credit_days",
            "信用期(天)",
            INT,
            "信用期",
            "账期",
            "账期(天)",
            "信用天数",
            "credit_term",
            "credit_terms",
            min=0,
            max=3650,
            en="credit days",
        ),
        _c(
            "first_trade_date",
            "首次交易日",
            DATE,
            "首次交易日期",
            "首次交易",
            "首单日期",
            "first_trade",
            en="first trade date",
        ),
        _c("contact", "联系人", TEXT, "联系人姓名", "contact_person"),
        _c("phone", "电话", TEXT, "联系电话", "手机", "tel", "telephone", "mobile"),
        _c("address", "地址", TEXT, "联系地址", "公司地址"),
        _c("ownership", "企业性质", TEXT, "公司性质", dictionary="企业性质"),
        _c("tax_id", "税号", TEXT, "纳税人识别号", "统一社会信用代码", "tax_no", en="tax id"),
        _c(
            "credit_grade",
            "信用等级",
            CHOICE,
            "信用级别",
            "credit_rating",
            choices=CREDIT_GRADES,
            dictionary="信用等级",
            en="credit grade",
        ),
    ),
)

REPS = Table(
    key="reps",
    zh="业务员",
    en="reps",
    aliases=("业务员表", "销售员", "销售人员", "员工", "rep", "salespeople", "sales_reps"),
    description="One row per sales rep: id, name, department; optional region.",
    columns=(
        _c(
            "rep_id",
            "业务员编号",
            TEXT,
            *_REP_ID_ALIASES,
            required=True,
            nullable=False,
            unique=True,
            en="rep id",
        ),
        _c(
            "name",
            "姓名",
            TEXT,
            "业务员",
            "业务员姓名",
            "销售员",
            "rep_name",
            required=True,
            nullable=False,
        ),
        _c(
            "department",
            "部门",
            TEXT,
            "销售部门",
            "所属部门",
            "dept",
            required=True,
            nullable=False,
        ),
        _c("region", "区域", TEXT, "地区", "销售区域", "负责区域", dictionary="区域"),
    ),
)

SALES = Table(
    key="sales",
    zh="销售",
    en="sales",
    aliases=("销售额", "销售明细", "销售数据", "销售记录", "sale"),
    one_of=(("month", "date"),),
    description="Sales by customer and month (月份 YYYY-MM) or by date (日期); one or many rows a month.",
    columns=(
        _c(
            "customer_id",
            "客户编号",
            TEXT,
            *_CUSTOMER_ID_ALIASES,
            required=True,
            nullable=False,
            en="customer id",
        ),
        _c("month", "月份", MONTH, "月度", "年月", "期间", "period"),
        _c("date", "日期", DATE, "销售日期", "单据日期", "开单日期", "订单日期", "sale_date"),
        _c(
            "amount",
            "销售额",
            MONEY,
            "销售金额",
            "金额",
            "含税金额",
            "sales",
            "sales_amount",
            "revenue",
            required=True,
            nullable=False,
            min=0,
            en="sales amount",
        ),
        _c("gross_profit", "毛利", MONEY, "毛利额", "毛利润", "gp", "profit", en="gross profit"),
        _c("product", "产品", TEXT, "产品名称", "品名", "产品编号", "商品", "product_name"),
        _c("quantity", "数量", NUMBER, "销量", "销售数量", "qty", min=0),
    ),
)

INVOICES = Table(
    key="invoices",
    zh="应收",
    en="invoices",
    aliases=("应收账款", "应收款", "发票", "开票", "receivables", "invoice", "ar"),
    # optional: a company selling for cash has none; the receivables forms are then empty
    optional=True,
    description="Open and recent invoices: number, customer, invoice date, amount, amount received.",
    columns=(
        _c(
            "invoice_id",
            "发票号",
            TEXT,
            "发票号码",
            "发票编号",
            "单据号",
            "invoice_no",
            "Invoice Number",
            required=True,
            nullable=False,
            unique=True,
            en="invoice number",
        ),
        _c(
            "customer_id",
            "客户编号",
            TEXT,
            *_CUSTOMER_ID_ALIASES,
            required=True,
            nullable=False,
            en="customer id",
        ),
        _c(
            "invoice_date",
            "开票日",
            DATE,
            "开票日期",
            "发票日期",
            "invoice date",
            required=True,
            nullable=False,
            en="invoice date",
        ),
        _c("due_date", "到期日", DATE, "到期日期", "应收日期", "due", en="due date"),
        _c(
            "amount",
            "金额",
            MONEY,
            "发票金额",
            "应收金额",
            "开票金额",
            "invoice_amount",
            required=True,
            nullable=False,
            min=0,
            en="invoice amount",
        ),
        _c("paid", "已收", MONEY, "已收金额", "已收款", "累计已收", "回款金额", "received", min=0),
        _c(
            "last_payment_date",
            "最近收款日",
            DATE,
            "最近收款日期",
            "收款日期",
            "回款日期",
            "last_payment",
            en="last payment date",
        ),
        _c("contract_id", "合同号", TEXT, "合同编号", "contract_no", en="contract number"),
        _c(
            "payment_method",
            "收款方式",
            TEXT,
            "付款方式",
            "结算方式",
            dictionary="收款方式",
            en="payment method",
        ),
        _c("collector", "催收人", TEXT, "收款人", "负责人"),
    ),
)

VISITS = Table(
    key="visits",
    zh="拜访",
    en="visits",
    aliases=("拜访记录", "客户拜访", "visit", "calls"),
    optional=True,
    description="Customer visits: customer, date; optional rep, method, purpose, result, amount, hours.",
    columns=(
        _c(
            "customer_id",
            "客户编号",
            TEXT,
            *_CUSTOMER_ID_ALIASES,
            required=True,
            nullable=False,
            en="customer id",
        ),
        _c(
            "date",
            "日期",
            DATE,
            "拜访日期",
            "visit_date",
            required=True,
            nullable=False,
            en="visit date",
        ),
        _c("rep_id", "业务员编号", TEXT, *_REP_ID_ALIASES, en="rep id"),
        _c("method", "拜访方式", TEXT, "方式", "visit_method", dictionary="拜访方式"),
        _c("purpose", "目的", TEXT, "拜访目的"),
        _c("result", "结果", TEXT, "拜访结果"),
        _c("amount", "金额", MONEY, "订单金额", "成交金额", min=0),
        _c("hours", "时长", NUMBER, "时长(小时)", "停留时长", "duration", min=0, max=24),
    ),
)

PRODUCTS = Table(
    key="products",
    zh="产品",
    en="products",
    aliases=("产品表", "产品目录", "商品", "product", "items"),
    optional=True,
    description="Product list: id, name; optional spec, unit, price, new / best-seller flags.",
    columns=(
        _c(
            "product_id",
            "产品编号",
            TEXT,
            "产品代码",
            "产品编码",
            "物料编号",
            "sku",
            required=True,
            nullable=False,
            unique=True,
            en="product id",
        ),
        _c(
            "name",
            "品名",
            TEXT,
            "产品名称",
            "商品名称",
            "product_name",
            required=True,
            nullable=False,
        ),
        _c("spec", "规格", TEXT, "规格型号", "型号", "specification"),
        _c("unit", "单位", TEXT, "计量单位", "uom", dictionary="计量单位"),
        _c("price", "单价", MONEY, "价格", "售价", "unit_price", min=0),
        _c("is_new", "新品", BOOL, "是否新品", "new", "new_product", en="new product"),
        _c(
            "is_bestseller",
            "畅销品",
            BOOL,
            "是否畅销",
            "畅销",
            "bestseller",
            "best_seller",
            en="best seller",
        ),
    ),
)

#: All tables, in reading and reporting order.
TABLES: tuple[Table, ...] = (CUSTOMERS, REPS, SALES, INVOICES, VISITS, PRODUCTS)
TABLES_BY_KEY: dict[str, Table] = {t.key: t for t in TABLES}

#: Columns the reader adds to the canonical ones: table key -> ((key, dtype), ...).
DERIVED_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "sales": (("year", "int64"), ("month_num", "int64")),
}

_PAREN = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_DROP = re.compile(r"[\s_\-*＊]+")


def header_key(text: object) -> str:
    """Normalised form of a header or sheet name, for matching."""
    s = to_halfwidth(str(text)).replace("（", "(").replace("）", ")")
    return _DROP.sub("", s).casefold()


def header_keys(text: object) -> tuple[str, ...]:
    """The exact normalised header, then (if different) without a trailing ``(unit)``."""
    full = header_key(text)
    s = to_halfwidth(str(text)).strip().rstrip("*＊").strip()
    bare = header_key(_PAREN.sub("", s))
    return (full,) if bare == full or not bare else (full, bare)


def header_lookup(table: Table) -> dict[str, str]:
    """Normalised accepted header -> canonical column key for ``table``."""
    out: dict[str, str] = {}
    for col in table.columns:
        for name in col.names:
            out.setdefault(header_key(name), col.key)
    return out


def table_lookup() -> dict[str, str]:
    """Normalised accepted sheet / CSV name -> table key."""
    out: dict[str, str] = {}
    for t in TABLES:
        for name in t.names:
            out.setdefault(header_key(name), t.key)
    return out
