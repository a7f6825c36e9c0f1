"""The dropdown lists (FORMS.md "Dictionaries"; the input lists are those of
``data.schema``), kept on the hidden 字典 sheet as named
ranges ``dict_<key>``; list validations point at the names, so no inline list can exceed
Excel's 255-character limit.

    >>> DICTIONARIES["grade"]
    ('A', 'B', 'C')
    >>> dictionaries_for(["华东", "华南"])["region"]
    ('华东', '华南')
"""

from __future__ import annotations

from ..data import schema

DICTIONARIES: dict[str, tuple[str, ...]] = {
    "grade": schema.GRADES,
    "grade_label": schema.GRADE_LABELS,
    "customer_type": schema.CUSTOMER_TYPES,
    "source": schema.CUSTOMER_SOURCES,
    "visit_method": schema.VISIT_METHODS,
    "payment": schema.PAYMENT_METHODS,
    "credit": schema.CREDIT_GRADES,
    "ownership": schema.OWNERSHIPS,
    "unit": schema.UNITS,
    "vat": ("13%", "9%", "6%", "3%"),
    "task_status": ("未开始", "进行中", "已完成", "延期"),
    "opinion": ("同意", "不同意", "修改后同意"),
    "gift_reason": ("节日", "答谢", "签约", "拜访", "其他"),
    "discount_type": ("价格折让", "返利", "延长账期", "赠品", "免运费"),
    "dev_status": ("意向", "试单", "成交", "放弃"),
    "order_status": ("待审", "已审", "部分发货", "已发货", "完成", "取消"),
    "visit_result": ("下单", "意向", "无进展"),
    "visit_purpose": (
        "拜访维护",
        "洽谈订单",
        "新品推介",
        "回访",
        "售后服务",
        "对账",
        "催款",
        "处理投诉",
        "签订合同",
        "市场调研",
    ),
    "customer_status": ("潜在", "现有", "重点"),
    "frequency": ("每周", "每两周", "每月", "每季"),
    "contact_topic": ("节日", "生日", "新品", "回访", "对账"),
    "survey_method": ("电话", "问卷", "面谈", "网络"),
    "entertain_item": ("餐饮", "住宿", "交通", "礼品"),
    "dev_method": ("电话开发", "上门拜访", "展会", "转介绍", "网络推广"),
    "progress": ("未开始", "接触中", "洽谈中", "已成交", "已放弃"),
    "service_type": ("技术支持", "培训", "投诉处理", "回访", "对账", "其他"),
    "yes_no": ("是", "否"),
    "c5_letter": ("A", "B", "C", "D"),
}


def dictionaries_for(regions, departments=(), reps=()) -> dict[str, tuple[str, ...]]:
    """All dictionaries, with the data-driven ones (regions, departments, reps) added."""
    out = dict(DICTIONARIES)
    out["region"] = tuple(regions)
    if departments:
        out["department"] = tuple(departments)
    if reps:
        out["rep"] = tuple(reps)
    return out
