// The query page: pick a canned query (its parameters become form fields) or write your own, run it on
// this server, show the results as a table and offer them for download. Served by kg serve; no CDN.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const byName = Object.fromEntries(data.queries.map((q) => [q.name, q]));
  const form = document.getElementById("query-form");
  const picker = document.getElementById("canned");
  const editor = document.getElementById("editor");
  const description = document.getElementById("canned-description");
  const paramsBox = document.getElementById("params");
  const paramFields = document.getElementById("param-fields");
  const statusEl = document.getElementById("status");
  const errorEl = document.getElementById("error");
  const results = document.getElementById("results");
  const downloads = document.getElementById("downloads");
  const prefixes = Object.entries(data.prefixes).sort((a, b) => b[1].length - a[1].length);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  function short(iri) {
    if (iri.startsWith(data.base)) return iri.slice(data.base.length);
    for (const [p, ns] of prefixes) if (iri.startsWith(ns)) return p + ":" + iri.slice(ns.length);
    return iri;
  }

  function localHref(iri) {
    if (iri.startsWith(data.base)) {
      const [path, fragment] = iri.slice(data.base.length).split("#");
      return "/id/" + path.split("/").map(encodeURIComponent).join("/") + (fragment ? "#" + encodeURIComponent(fragment) : "");
    }
    return "/resource?iri=" + encodeURIComponent(iri);
  }

  function current() {
    const q = byName[picker.value];
    return q && editor.value === q.text ? q : null;
  }

  function showParams(q) {
    paramFields.replaceChildren();
    paramsBox.hidden = !q || q.params.length === 0;
    if (!q) return;
    for (const p of q.params) {
      const id = "param-" + p.name;
      const input = el("input", {id, name: p.name, "data-param": p.name, placeholder: p.default || "",
                                 required: p.required ? "" : null, type: p.type === "integer" || p.type === "decimal" ? "text" : "text"});
      paramFields.append(el("div", {class: "param"},
        el("label", {for: id}, p.name + (p.required ? " *" : "")), input,
        el("span", {class: "note"}, `${p.type} — ${p.description}`)));
    }
  }

  function choose(name, values) {
    const q = byName[name];
    picker.value = q ? name : "";
    description.textContent = q ? q.description : "";
    if (q) editor.value = q.text;
    showParams(q);
    for (const [k, v] of Object.entries(values || {})) {
      const input = paramFields.querySelector(`[data-param="${CSS.escape(k)}"]`);
      if (input) input.value = v;
    }
  }

  function paramValues() {
    const out = new URLSearchParams();
    for (const input of paramFields.querySelectorAll("input[data-param]")) {
      if (input.value !== "") out.append(input.dataset.param, input.value);
    }
    return out;
  }

  function cell(term) {
    if (!term) return el("td");
    if (term.type === "uri") {
      return el("td", {}, el("a", {href: localHref(term.value), title: term.value}, short(term.value)));
    }
    if (term.type === "bnode") return el("td", {class: "bnode"}, "_:" + term.value);
    if (term.type === "triple") return el("td", {}, JSON.stringify(term.value));
    const td = el("td", {}, term.value);
    if (term["xml:lang"]) td.append(el("span", {class: "lang"}, "@" + term["xml:lang"]));
    else if (term.datatype) td.append(el("span", {class: "dt"}, "^^" + short(term.datatype)));
    return td;
  }

  function table(json) {
    if ("boolean" in json) return el("p", {class: "boolean"}, "ASK: " + json.boolean);
    const vars = json.head.vars;
    const thead = el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", {}, v))));
    const tbody = el("tbody");
    for (const b of json.results.bindings) tbody.append(el("tr", {}, ...vars.map((v) => cell(b[v]))));
    return el("table", {class: "data results"}, thead, tbody);
  }

  function setDownloads(urlFor, graph) {
    const links = graph ? [["dl-csv", "ttl", "Turtle"], ["dl-json", "jsonld", "JSON-LD"], ["dl-tsv", "nt", "N-Triples"], ["dl-xml", "rdfxml", "RDF/XML"]]
                        : [["dl-csv", "csv", "CSV"], ["dl-json", "json", "JSON"], ["dl-tsv", "tsv", "TSV"], ["dl-xml", "xml", "XML"]];
    const stem = picker.value || "query";
    for (const [id, fmt, label] of links) {
      const a = document.getElementById(id);
      a.href = urlFor(fmt);
      a.textContent = label;
      a.setAttribute("download", `${stem}.${fmt === "jsonld" ? "jsonld" : fmt}`);
    }
    downloads.hidden = false;
  }

  async function run(event) {
    if (event) event.preventDefault();
    errorEl.hidden = true;
    results.replaceChildren();
    downloads.hidden = true;
    statusEl.textContent = "running…";
    const q = current();
    let url, init, urlFor;
    const state = new URLSearchParams();
    if (q) {
      const params = paramValues();
      url = `/api/queries/${encodeURIComponent(q.name)}?${params}`;
      urlFor = (fmt) => `/api/queries/${encodeURIComponent(q.name)}?${params}${params.toString() ? "&" : ""}format=${fmt}`;
      init = {headers: {Accept: "application/sparql-results+json"}};
      state.set("name", q.name);
      for (const [k, v] of params) state.append(k, v);
    } else {
      const body = new URLSearchParams({query: editor.value});
      url = "/sparql";
      urlFor = (fmt) => `/sparql?${new URLSearchParams({query: editor.value, format: fmt})}`;
      init = {method: "POST", body, headers: {Accept: "application/sparql-results+json, text/turtle;q=0.9"}};
      state.set("query", editor.value);
    }
    history.replaceState(null, "", "/query?" + state);
    const started = performance.now();
    let response;
    try {
      response = await fetch(url, init);
    } catch (e) {
      statusEl.textContent = "";
      errorEl.textContent = "The server did not answer: " + e.message;
      errorEl.hidden = false;
      return;
    }
    const ms = Math.round(performance.now() - started);
    const body = await response.text();
    if (!response.ok) {
      statusEl.textContent = `${response.status} after ${ms} ms`;
      errorEl.textContent = body;
      errorEl.hidden = false;
      return;
    }
    const truncated = response.headers.get("X-Truncated") === "true";
    const rows = response.headers.get("X-Row-Count");
    const type = response.headers.get("Content-Type") || "";
    if (type.startsWith("application/sparql-results+json")) {
      const json = JSON.parse(body);
      results.append(table(json));
      setDownloads(urlFor, false);
    } else {
      results.append(el("pre", {class: "rdf"}, body));
      setDownloads(urlFor, true);
    }
    statusEl.textContent = `${rows} row${rows === "1" ? "" : "s"} in ${ms} ms` +
      (truncated ? ` — truncated at the row cap (${data.max_rows})` : "");
    statusEl.classList.toggle("warning", truncated);
  }

  picker.addEventListener("change", () => { choose(picker.value); results.replaceChildren(); downloads.hidden = true; });
  form.addEventListener("submit", run);

  // state from the address: /query?name=answers-citing&document=…  or  /query?query=…
  const here = new URLSearchParams(location.search);
  if (here.get("name") && byName[here.get("name")]) {
    const values = Object.fromEntries([...here].filter(([k]) => k !== "name"));
    choose(here.get("name"), values);
    if (byName[here.get("name")].params.every((p) => !p.required || values[p.name])) run();
  } else if (here.get("query")) {
    editor.value = here.get("query");
    run();
  }
})();
