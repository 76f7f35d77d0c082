"""MathML from sympy: well-formed XML, symbols written in LaTeX turned into MathML."""

import xml.etree.ElementTree as ET

import sympy as sp

from verification.report.mathml import expr_to_mathml, name_to_mathml

NS = "{http://www.w3.org/1998/Math/MathML}"


def _parse(markup: str) -> ET.Element:
    # HTML entities sympy emits (&pi;, &InvisibleTimes;) are not XML: map them for parsing.
    markup = markup.replace("&pi;", "π").replace("&InvisibleTimes;", "\u2062")
    return ET.fromstring(markup)


def test_latex_symbol_names_become_scripts_and_unicode():
    assert name_to_mathml(r"\langle XY\rangle") == "<mrow><mo>⟨</mo><mi>XY</mi><mo>⟩</mo></mrow>"
    sub = name_to_mathml(r"\frac{\partial E_A}{\partial w_k}")
    assert "<msub><mi>E</mi><mi>A</mi></msub>" in sub and "∂" in sub and "\\" not in sub
    assert name_to_mathml(r"\dot{E}_{k,i}").startswith("<msub><mi>Ė</mi>")
    both = name_to_mathml(r"\int_0^\infty t\,dt")
    assert "<msubsup><mo>∫</mo><mn>0</mn><mo>∞</mo></msubsup>" in both


def test_expressions_are_well_formed_math_elements():
    rho = sp.Symbol("rho")
    bracket = sp.Symbol(r"\langle\cos\theta\rangle")
    root = _parse(expr_to_mathml(sp.Eq(bracket, rho * 2 / sp.pi * sp.asin(rho))))
    assert root.tag == f"{NS}math" and root.get("display") == "block"
    text = "".join(root.itertext())
    assert "ρ" in text and "cos" in text and "\\" not in text
    inline = _parse(expr_to_mathml(sp.Rational(50, 53), display=False))
    assert inline.get("display") == "inline" and inline.find(f".//{NS}mfrac") is not None
