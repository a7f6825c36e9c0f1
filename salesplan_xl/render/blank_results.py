"""Formula cells whose cached result is blank are cached as an empty *string*.

A formula such as ``IF(N(E5)=0,"",J5/E5)`` or ``SP_CREDIT_USAGE(J5,E5)`` caches ``""`` when
there is nothing to show. XlsxWriter writes that as ``<c><f>..</f><v></v></c>`` with no
type (on purpose, to make some applications recalculate): a *number* with no digits,
which a reader of cached values may show as 0 or as an error. Excel writes a blank text
result as ``t="str"`` with an empty ``<v>``; :func:`cache_blank_results_as_text` makes a
worksheet do the same.

LibreOffice recalculates every formula whose cached value is empty, whatever its type:
in a ``--formulas udf`` kit it cannot run SP_*, so those cells (a customer without a
credit limit has no 额度使用率) still show ``#VALUE!`` there. Excel runs them.
"""

from __future__ import annotations


def cache_blank_results_as_text(worksheet) -> None:
    """Write every formula of ``worksheet`` whose cached value is ``""`` with ``t="str"``."""
    original = worksheet._xml_formula_element
    if getattr(original, "blank_as_text", False):
        return

    def formula_element(formula, result, attributes=()):
        if result == "" and all(key != "t" for key, _ in attributes):
            attributes = [*attributes, ("t", "str")]
        return original(formula, result, attributes)

    formula_element.blank_as_text = True
    worksheet._xml_formula_element = formula_element
