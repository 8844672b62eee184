/* tenken answer form: hide-and-disable items that do not apply, live, as answers change.
 * Loaded from the site (script-src 'self'); the page works without it: the server evaluates the
 * same rules on every save. Expressions arrive as JSON trees in data-relevant (see
 * tenken/web/site/formspec.py node_json) and follow tenken/survey/expr.py: a field that does
 * not apply reads as empty in every other expression, so skips chain.
 */
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form) { return; }
  var sets = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-field]"));
  var byName = {};
  sets.forEach(function (fs) { byName[fs.getAttribute("data-field")] = fs; });

  function rawValue(name) {
    var fs = byName[name];
    if (!fs) { return ""; }
    if (fs.hasAttribute("data-value")) { return fs.getAttribute("data-value"); }
    var kind = fs.getAttribute("data-kind");
    if (kind === "select_multiple") {
      return Array.prototype.slice.call(fs.querySelectorAll("input[type=checkbox]:checked"))
        .map(function (el) { return el.value; });
    }
    if (kind === "select_one") {
      var checked = fs.querySelector("input[type=radio]:checked");
      return checked ? checked.value : "";
    }
    var box = fs.querySelector("input[type=text], input[type=date], textarea");
    return box ? box.value.trim() : "";
  }

  function toBool(v) {
    if (Array.isArray(v)) { return v.length > 0; }
    if (typeof v === "string") { return v !== ""; }
    return !!v;
  }
  function toText(v) {
    if (Array.isArray(v)) { return v.join(" "); }
    if (typeof v === "boolean") { return v ? "true" : "false"; }
    if (typeof v === "number") { return String(v); }
    return v;
  }
  function compare(op, a, b) {
    if (!(typeof a === "number" && typeof b === "number")) { a = toText(a); b = toText(b); }
    switch (op) {
      case "=": return a === b;
      case "!=": return a !== b;
      case "<": return a < b;
      case "<=": return a <= b;
      case ">": return a > b;
      case ">=": return a >= b;
    }
    throw new Error("unknown operator " + op);
  }
  var FUNCTIONS = {
    "not": function (v) { return !toBool(v); },
    "selected": function (values, code) {
      var list = Array.isArray(values) ? values : toText(values).split(/\s+/);
      return list.indexOf(toText(code)) >= 0;
    },
    "count-selected": function (values) {
      return Array.isArray(values) ? values.length : toText(values).split(/\s+/).filter(Boolean).length;
    },
    "string-length": function (v) { return toText(v).length; },
    "coalesce": function (a, b) { return toBool(a) ? a : b; }
  };
  function evaluate(node, lookup) {
    if ("lit" in node) { return node.lit; }
    if ("ref" in node) { return lookup(node.ref); }
    if ("call" in node) {
      var func = FUNCTIONS[node.call];
      if (!func) { throw new Error("unsupported function " + node.call); }
      return func.apply(null, node.args.map(function (a) { return evaluate(a, lookup); }));
    }
    if (node.op === "and") { return toBool(evaluate(node.l, lookup)) && toBool(evaluate(node.r, lookup)); }
    if (node.op === "or") { return toBool(evaluate(node.l, lookup)) || toBool(evaluate(node.r, lookup)); }
    return compare(node.op, evaluate(node.l, lookup), evaluate(node.r, lookup));
  }

  function refresh() {
    var memo = {};
    function applies(name) {
      if (!(name in memo)) {
        memo[name] = true;  // provisional; the questionnaire loader rejects cycles
        var fs = byName[name];
        var rule = fs && fs.getAttribute("data-relevant");
        if (rule) {
          try { memo[name] = toBool(evaluate(JSON.parse(rule), effective)); }
          catch (e) { memo[name] = true; }  // unknown to this script: let the server decide
        }
      }
      return memo[name];
    }
    function effective(name) {
      var fs = byName[name];
      if (!applies(name)) { return fs && fs.getAttribute("data-kind") === "select_multiple" ? [] : ""; }
      return rawValue(name);
    }
    sets.forEach(function (fs) {
      var on = applies(fs.getAttribute("data-field"));
      fs.classList.toggle("not-applicable", !on);
      if (fs.hasAttribute("data-editable")) {
        Array.prototype.forEach.call(fs.querySelectorAll("input, textarea"), function (el) {
          el.disabled = !on;
        });
      }
    });
  }
  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
  refresh();
}());
