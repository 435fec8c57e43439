// Progressive enhancement for the index what-if page: recompute as the controls move.
// Without JavaScript the form's submit button does the same (GET /index?...).
(function () {
  "use strict";
  var form = document.getElementById("whatif-form");
  var target = document.getElementById("whatif-result");
  if (!form || !target || !window.fetch) { return; }
  var timer = null;
  var pending = null;
  function update() {
    var params = new URLSearchParams(new FormData(form));
    params.set("fragment", "1");
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch("/index?" + params.toString(), { signal: pending.signal, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        target.innerHTML = html;
        params.delete("fragment");
        window.history.replaceState(null, "", "/index?" + params.toString());
      })
      .catch(function () { /* aborted or failed: the submit button still works */ });
  }
  form.addEventListener("input", function (ev) {
    var out = ev.target && ev.target.id ? document.getElementById("o-" + ev.target.id.replace(/^w-/, "")) : null;
    if (out) { out.textContent = ev.target.value; }
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  });
})();
