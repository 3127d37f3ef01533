/* lmi API explorer: a "Try it" form on every endpoint of /docs, built from /openapi.json.
   No dependencies and no network access beyond this server, so it works offline. */
(function () {
  "use strict";
  var MAX_SHOWN = 200000; // characters of a body shown (the full body is kept for download)
  var SHOWN_HEADERS = ["content-type", "etag", "cache-control", "x-lmi-release", "x-lmi-method",
    "x-lmi-source", "retry-after", "x-request-id"];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "hidden") node.hidden = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function operations(spec) {
    var found = {};
    Object.keys(spec.paths).forEach(function (path) {
      var item = spec.paths[path];
      Object.keys(item).forEach(function (method) {
        found[item[method].operationId] = { path: path, method: method.toUpperCase(), op: item[method] };
      });
    });
    return found;
  }

  /* values of the endpoint's working example URL: path parameters and query */
  function exampleValues(section, path) {
    var values = {};
    var example = section.getAttribute("data-example");
    if (!example) return values;
    var url = new URL(example, location.origin);
    url.searchParams.forEach(function (value, name) { if (!(name in values)) values[name] = value; });
    var names = [];
    var pattern = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)(?::\w+)?\}/g, function (_, name) {
      names.push(name); return "([^/]+)";
    });
    var match = new RegExp("^" + pattern + "$").exec(url.pathname);
    if (match) names.forEach(function (name, i) { values[name] = decodeURIComponent(match[i + 1]); });
    return values;
  }

  function field(section, param, prefill) {
    var id = section.id + "--" + param.name;
    var schema = param.schema || {};
    var input;
    if (schema.enum) {
      input = el("select", { id: id, name: param.name });
      if (!param.required) input.appendChild(el("option", { value: "", text: "(not set)" }));
      schema.enum.forEach(function (value) { input.appendChild(el("option", { value: value, text: value })); });
    } else {
      input = el("input", { id: id, name: param.name, type: "text", spellcheck: "false", autocomplete: "off" });
      if (param.example !== undefined) input.setAttribute("placeholder", "e.g. " + param.example);
    }
    if (prefill !== undefined) input.value = prefill;
    else if (param.required && param.example !== undefined) input.value = String(param.example);
    input.setAttribute("data-in", param.in);
    if (param.required) input.required = true;
    var label = el("label", { for: id }, [
      el("code", { text: param.name }),
      param.required ? el("span", { class: "req", title: "required", text: " *" }) : null,
      el("span", { class: "muted", text: " " + param.in + (schema.type ? ", " + schema.type : "") }),
    ]);
    return el("div", { class: "field" }, [label, input]);
  }

  function buildUrl(form, path) {
    var query = new URLSearchParams();
    var missing = [];
    var url = path;
    Array.prototype.forEach.call(form.querySelectorAll("[data-in]"), function (input) {
      var value = input.value.trim();
      if (input.getAttribute("data-in") === "path") {
        if (!value) missing.push(input.name);
        url = url.replace(new RegExp("\\{" + input.name + "(?::\\w+)?\\}"), encodeURIComponent(value));
      } else if (value) {
        query.append(input.name, value);
      } else if (input.required) {
        missing.push(input.name);
      }
    });
    var text = query.toString();
    return { url: text ? url + "?" + text : url, missing: missing };
  }

  function shellQuote(text) { return "'" + text.replace(/'/g, "'\\''") + "'"; }

  function show(result, response, text, started) {
    var ms = Math.round(performance.now() - started);
    var status = result.querySelector(".status");
    status.textContent = response.status + " " + (response.statusText || "") + " · " + ms + " ms · " +
      text.length.toLocaleString("en-GB") + " characters";
    status.className = "status " + (response.ok ? "ok" : "bad");
    var headers = [];
    SHOWN_HEADERS.forEach(function (name) {
      var value = response.headers.get(name);
      if (value !== null) headers.push(name + ": " + value);
    });
    result.querySelector(".headers").textContent = headers.join("\n");
    var pretty = text;
    if ((response.headers.get("content-type") || "").indexOf("json") >= 0) {
      try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { pretty = text; }
    }
    if (pretty.length > MAX_SHOWN) {
      pretty = pretty.slice(0, MAX_SHOWN) + "\n… (" + (pretty.length - MAX_SHOWN).toLocaleString("en-GB") +
        " more characters: open the request URL to see them all)";
    }
    result.querySelector(".body").textContent = pretty;
  }

  function tryIt(section, ops) {
    var methods = (section.getAttribute("data-methods") || "GET").split(",");
    var choices = methods.map(function (method) {
      var id = methods.length > 1 ? section.id + "_" + method.toLowerCase() : section.id;
      return ops[id] ? { method: method, entry: ops[id] } : null;
    }).filter(Boolean);
    if (!choices.length) return;
    var path = choices[0].entry.path;
    var prefill = exampleValues(section, path);
    var form = el("form", { class: "try", novalidate: "novalidate" });
    var method = choices[0].method;
    if (choices.length > 1) {
      var select = el("select", { id: section.id + "--method", class: "method-choice" });
      choices.forEach(function (c) { select.appendChild(el("option", { value: c.method, text: c.method })); });
      form.appendChild(el("div", { class: "field" }, [el("label", { for: select.id, text: "Method" }), select]));
    }
    var fields = el("div", { class: "fields" });
    (choices[0].entry.op.parameters || []).forEach(function (param) {
      fields.appendChild(field(section, param, prefill[param.name]));
    });
    form.appendChild(fields);
    var bodyBox = null;
    choices.forEach(function (c) {
      var rb = c.entry.op.requestBody;
      if (!rb || bodyBox) return;
      var schema = rb.content["application/json"].schema || {};
      bodyBox = el("textarea", { id: section.id + "--body", rows: "4", spellcheck: "false", class: "body-input" });
      bodyBox.value = JSON.stringify(schema.example || [], null, 0);
      var wrap = el("div", { class: "field body-field", hidden: true }, [
        el("label", { for: bodyBox.id, text: "JSON body (" + c.method + ")" }), bodyBox]);
      form.appendChild(wrap);
    });
    if (select) {
      select.addEventListener("change", function () {
        method = select.value;
        form.querySelector(".body-field").hidden = method === "GET";
      });
    }
    var send = el("button", { type: "submit", class: "button", text: "Send request" });
    var reset = el("button", { type: "button", class: "button secondary", text: "Reset to example" });
    form.appendChild(el("div", { class: "actions" }, [send, reset]));
    var result = el("div", { class: "result", "aria-live": "polite", hidden: true }, [
      el("p", { class: "request" }, [el("code", { class: "url" })]),
      el("pre", { class: "code curl" }),
      el("p", { class: "status" }),
      el("pre", { class: "headers" }),
      el("pre", { class: "code body", tabindex: "0" }),
    ]);
    reset.addEventListener("click", function () {
      Array.prototype.forEach.call(form.querySelectorAll("[data-in]"), function (input) {
        input.value = prefill[input.name] !== undefined ? prefill[input.name] : "";
      });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var built = buildUrl(form, path);
      result.hidden = false;
      if (built.missing.length) {
        result.querySelector(".status").textContent = "Fill in: " + built.missing.join(", ");
        result.querySelector(".status").className = "status bad";
        return;
      }
      var init = { method: method, headers: {} };
      var key = document.getElementById("explorer-key");
      if (key && key.value) init.headers["X-API-Key"] = key.value;
      var curl = "curl -s";
      if (method !== "GET") {
        init.body = bodyBox ? bodyBox.value : "";
        init.headers["Content-Type"] = "application/json";
        curl += " -X " + method + " -H 'Content-Type: application/json' -d " + shellQuote(init.body);
      }
      if (init.headers["X-API-Key"]) curl += " -H 'X-API-Key: …'";
      var absolute = location.origin + built.url;
      result.querySelector(".url").textContent = method + " " + built.url;
      result.querySelector(".curl").textContent = curl + " " + shellQuote(absolute);
      var status = result.querySelector(".status");
      status.textContent = "Sending…";
      status.className = "status";
      send.disabled = true;
      var started = performance.now();
      fetch(built.url, init).then(function (response) {
        return response.text().then(function (text) { show(result, response, text, started); });
      }).catch(function (error) {
        status.textContent = "Network error: " + error.message;
        status.className = "status bad";
      }).then(function () { send.disabled = false; });
    });
    var details = el("details", { class: "try-it" }, [el("summary", { text: "Try it" }), form, result]);
    section.appendChild(details);
  }

  function start() {
    fetch("/openapi.json").then(function (r) { return r.json(); }).then(function (spec) {
      var ops = operations(spec);
      Array.prototype.forEach.call(document.querySelectorAll("section.endpoint[data-operation]"), function (s) {
        tryIt(s, ops);
      });
      var settings = document.getElementById("explorer-settings");
      if (settings) settings.hidden = false;
      document.documentElement.setAttribute("data-explorer", "ready");
    }).catch(function (error) {
      document.documentElement.setAttribute("data-explorer", "failed: " + error.message);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
