"""LMI for All's jQuery clients against lmi, in headless Chromium, from another origin.

The official jQuery tutorial (12foo/lmiforall-tutorials, jquery/app.js) searches occupations
with ``soc/search`` and draws ``wf/predict`` (plain ``$.getJSON`` over CORS, no years); other
jQuery clients use JSONP (``callback=?``); widgets that set jQuery's ``jsonp``
option send ``jsonp=`` instead of ``callback=``; browser ``fetch`` clients read provenance
headers, which CORS hides unless they are exposed. jQuery is the system's copy (Debian
libjs-jquery), copied into the test's temporary site, not into the repository; the test skips
without it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

JQUERY = Path("/usr/share/javascript/jquery/jquery.min.js")

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LMI tutorial</title>
<link rel="icon" href="data:,"><script src="jquery.min.js"></script></head><body>
<ul id="jobs"></ul><p id="pred"></p><p id="pay"></p><p id="headers"></p><script>
var api = "%(api)s/api/v1";
window.done = {};
// the tutorial itself (jquery/app.js): plain $.getJSON over CORS, wf/predict without years
$.getJSON(api + "/soc/search?q=" + "software", function (results) {
  $.getJSON(api + "/wf/predict?soc=" + results[0].soc, function (data) {
    window.done.tutorial = data.predictedEmployment.map(function (y) { return y.year; });
  });
});
$.ajax({url: api + "/soc/search", data: {q: "software"}, dataType: "jsonp"}).done(function (jobs) {
  $.each(jobs, function (i, job) { $("#jobs").append($("<li>").text(job.soc + " " + job.title)); });
  var soc = jobs[0].soc;
  $.getJSON(api + "/wf/predict?soc=" + soc + "&minYear=2024&maxYear=2030&callback=?")
    .done(function (wf) {
      $("#pred").text(wf.predictedEmployment.map(function (p) {
        return p.year + ":" + Math.round(p.employment); }).join(" "));
      window.done.wf = wf;
    });
  $.ajax({url: api + "/ashe/estimatePay", data: {soc: soc}, dataType: "jsonp", jsonp: "jsonp"})
    .done(function (pay) { $("#pay").text(pay.series[0].estpay * 52); window.done.pay = pay; });
  fetch(api + "/ashe/estimatePay?soc=" + soc).then(function (r) {
    window.done.headers = {methods: r.headers.get("X-LMI-Methods"),
                           source: r.headers.get("X-LMI-Source")};
  });
});
</script></body></html>"""


def test_jquery_tutorial_flow_over_jsonp_from_another_origin(
    browser: Any, demo_lmi_server: str, embed_site: tuple[Path, str]
) -> None:
    if not JQUERY.is_file():
        pytest.skip(f"jQuery not found at {JQUERY} (apt-get install libjs-jquery)")
    folder, origin = embed_site
    shutil.copy(JQUERY, folder / "jquery.min.js")
    (folder / "tutorial.html").write_text(PAGE % {"api": demo_lmi_server}, encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{origin}/tutorial.html")
        page.wait_for_function(
            "window.done.wf && window.done.pay && window.done.headers && window.done.tutorial",
            timeout=20_000,
        )
        tutorial_years = page.evaluate("window.done.tutorial")
        assert tutorial_years and tutorial_years == sorted(tutorial_years)
        assert page.locator("#jobs li").count() > 0
        predicted = page.locator("#pred").inner_text().split()
        assert [p.split(":")[0] for p in predicted] == [str(y) for y in range(2024, 2031)]
        assert float(page.locator("#pay").inner_text()) > 0
        headers = page.evaluate("window.done.headers")
        assert headers["methods"] and headers["source"]  # exposed to another origin
        wf = page.evaluate("window.done.wf")
        assert wf["area_used"] == "E92000001"  # England only, said in the body
    finally:
        context.close()
    assert errors == []
