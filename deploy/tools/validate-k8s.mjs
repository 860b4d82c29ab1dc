// Offline checks of the Kubernetes manifests under deploy/k8s (no cluster, no kubectl needed):
//  1. every document parses as YAML (duplicate keys are errors) and has a known apiVersion/kind;
//  2. it validates against the Kubernetes OpenAPI schema shipped in the npm package kubernetes-models;
//  3. no unknown fields (the schema alone accepts typos such as "readinesProbe"): checked against the
//     package's type declarations;
//  4. references hold inside each kustomization: selectors match pod labels, named ports exist, ConfigMaps,
//     Secrets and their keys exist, volume mounts have volumes, patches hit a resource, StatefulSets have a
//     headless Service; the ledger Deployment keeps >= 2 replicas, probes and memory request == limit.
// Usage: node validate-k8s.mjs <k8s-dir>            walk every kustomization under <k8s-dir>
//        node validate-k8s.mjs --rendered <file>     check one rendered stream (kubectl kustomize output)
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const problems = [];
const problem = (where, msg) => problems.push(`${where}: ${msg}`);

// ---------- type declarations -> known fields ----------
const interfaces = new Map(); // interface name -> Map(prop -> type text)
function loadDeclarations(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) loadDeclarations(full);
    else if (entry.name.endsWith(".d.ts")) parseDeclaration(fs.readFileSync(full, "utf8"));
  }
}
function parseDeclaration(text) {
  const local = new Map();
  const re = /export interface (I\w+)(?: extends [\w, ]+)? \{\n([\s\S]*?)\n\}/g;
  for (let m; (m = re.exec(text));) {
    const props = new Map();
    for (const line of m[2].split("\n")) {
      const p = /^ {4}"([^"]+)"\??: (.+?);?$/.exec(line);
      if (p) props.set(p[1], p[2]);
    }
    local.set(m[1], props);
    interfaces.set(m[1], props);
  }
  const alias = /export \{([^}]*)\}/g;
  for (let m; (m = alias.exec(text));) {
    for (const part of m[1].split(",")) {
      const a = /^\s*(I\w+) as (I\w+)\s*$/.exec(part);
      if (a && local.has(a[1])) interfaces.set(a[2], local.get(a[1]));
    }
  }
}
const modelsDir = path.dirname(require.resolve("kubernetes-models/package.json"));
loadDeclarations(modelsDir);
loadDeclarations(path.dirname(require.resolve("@kubernetes-models/apimachinery/package.json")));

function checkFields(value, typeText, where) {
  if (value === null || value === undefined || typeText === undefined) return;
  const arr = /^Array<(I\w+)>$/.exec(typeText);
  if (arr) {
    if (Array.isArray(value)) value.forEach((v, i) => checkFields(v, arr[1], `${where}[${i}]`));
    return;
  }
  if (!/^I\w+$/.test(typeText) || !interfaces.has(typeText)) return; // primitives, maps, unions
  if (typeof value !== "object" || Array.isArray(value)) return; // type errors are the schema's job
  const props = interfaces.get(typeText);
  if (props.size === 0) return; // free-form objects (e.g. RawExtension)
  for (const [key, v] of Object.entries(value)) {
    if (!props.has(key)) problem(where, `unknown field "${key}"`);
    else checkFields(v, props.get(key), `${where}.${key}`);
  }
}

// ---------- schema validation ----------
function modelFor(apiVersion, kind) {
  const modulePath = apiVersion === "v1" ? "kubernetes-models/v1" : `kubernetes-models/${apiVersion}`;
  let mod;
  try { mod = require(modulePath); } catch { return undefined; }
  return mod[kind];
}
function validateDocument(doc, where) {
  if (!doc || typeof doc !== "object") { problem(where, "not a mapping"); return; }
  const { apiVersion, kind } = doc;
  if (apiVersion === "kustomize.config.k8s.io/v1beta1" && kind === "Kustomization") return;
  const Model = typeof apiVersion === "string" && typeof kind === "string" ? modelFor(apiVersion, kind) : undefined;
  if (!Model) { problem(where, `unknown apiVersion/kind ${apiVersion}/${kind}`); return; }
  try { new Model(doc).validate(); } catch (e) { problem(where, `schema: ${e.message}`); }
  checkFields(doc, `I${kind}`, `${where} ${kind}/${doc.metadata?.name ?? "?"}`);
  if (!doc.metadata?.name) problem(where, "metadata.name missing");
}

// ---------- YAML ----------
function readDocs(file) {
  const docs = [];
  const text = fs.readFileSync(file, "utf8");
  parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true }).forEach((d, i) => {
    for (const err of d.errors) problem(`${file}#${i}`, `YAML: ${err.message}`);
    const js = d.toJS();
    if (js !== null && js !== undefined) docs.push({ doc: js, where: `${file}#${i}` });
  });
  return docs;
}

// ---------- kustomize resolution (resources + strategic-merge patches of data/labels) ----------
function resolveKustomization(dir, seen = new Set()) {
  const kfile = path.join(dir, "kustomization.yaml");
  if (seen.has(kfile)) { problem(kfile, "kustomization cycle"); return []; }
  seen.add(kfile);
  const [k] = readDocs(kfile).map((d) => d.doc);
  if (!k) { problem(kfile, "empty kustomization"); return []; }
  const known = new Set(["apiVersion", "kind", "namespace", "resources", "patches", "images", "labels",
    "commonAnnotations", "namePrefix", "nameSuffix"]);
  for (const key of Object.keys(k)) if (!known.has(key)) problem(kfile, `unsupported kustomization field "${key}"`);
  let objects = [];
  for (const res of k.resources ?? []) {
    const target = path.join(dir, res);
    if (!fs.existsSync(target)) { problem(kfile, `resource ${res} does not exist`); continue; }
    if (fs.statSync(target).isDirectory()) objects = objects.concat(resolveKustomization(target, seen));
    else objects = objects.concat(readDocs(target));
  }
  for (const p of k.patches ?? []) {
    if (!p.path) { problem(kfile, "only file patches (path:) are used here"); continue; }
    const target = path.join(dir, p.path);
    if (!fs.existsSync(target)) { problem(kfile, `patch ${p.path} does not exist`); continue; }
    for (const { doc: patch, where } of readDocs(target)) {
      const hit = objects.find((o) => o.doc.kind === patch.kind && o.doc.metadata?.name === patch.metadata?.name);
      if (!hit) { problem(where, `patch targets ${patch.kind}/${patch.metadata?.name}, which the kustomization does not contain`); continue; }
      if (patch.data) hit.doc.data = { ...(hit.doc.data ?? {}), ...patch.data };
    }
  }
  if (k.namespace) for (const o of objects) if (o.doc.kind !== "Namespace") o.doc.metadata = { ...o.doc.metadata, namespace: k.namespace };
  return objects;
}

// ---------- cross-references ----------
const matches = (selector, labels) => selector && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
function checkReferences(objects, externalSecrets, label) {
  const byKind = (kind) => objects.filter((o) => o.doc.kind === kind);
  const configMaps = new Map(byKind("ConfigMap").map((o) => [o.doc.metadata.name, o.doc.data ?? {}]));
  const secrets = new Map([...externalSecrets, ...byKind("Secret").map((o) => [o.doc.metadata.name, { ...(o.doc.data ?? {}), ...(o.doc.stringData ?? {}) }])]);
  const workloads = [...byKind("Deployment"), ...byKind("StatefulSet")];
  for (const { doc, where } of workloads) {
    const id = `${label} ${doc.kind}/${doc.metadata.name}`;
    const pod = doc.spec.template;
    if (!matches(doc.spec.selector?.matchLabels, pod.metadata?.labels)) problem(id, "selector.matchLabels does not match the pod template labels");
    const volumes = new Set([...(pod.spec.volumes ?? []).map((v) => v.name), ...(doc.spec.volumeClaimTemplates ?? []).map((v) => v.metadata.name)]);
    for (const c of pod.spec.containers) {
      const ports = new Set((c.ports ?? []).map((p) => p.name));
      const cid = `${id} container ${c.name}`;
      for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        const pr = c[probe];
        if (!pr) { problem(cid, `${probe} missing`); continue; }
        const port = pr.httpGet?.port ?? pr.tcpSocket?.port;
        if (typeof port === "string" && !ports.has(port)) problem(cid, `${probe} uses port "${port}", not declared by the container`);
      }
      if (!c.resources?.requests?.memory || !c.resources?.limits?.memory) problem(cid, "memory request and limit are required");
      else if (c.resources.requests.memory !== c.resources.limits.memory) problem(cid, "memory request must equal the limit: the JVM heap is sized from the limit");
      if (!c.resources?.requests?.cpu) problem(cid, "cpu request missing");
      for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) problem(cid, `volumeMount ${m.name} has no volume`);
      for (const ef of c.envFrom ?? []) {
        if (ef.configMapRef && !configMaps.has(ef.configMapRef.name) && !ef.configMapRef.optional) problem(cid, `envFrom ConfigMap ${ef.configMapRef.name} missing`);
        if (ef.secretRef && !secrets.has(ef.secretRef.name) && !ef.secretRef.optional) problem(cid, `envFrom Secret ${ef.secretRef.name} missing`);
      }
      for (const e of c.env ?? []) {
        const s = e.valueFrom?.secretKeyRef;
        if (s && !s.optional && !(secrets.get(s.name) && s.key in secrets.get(s.name))) problem(cid, `env ${e.name}: Secret ${s.name} key ${s.key} not defined (deploy/k8s/base/secrets.example.yaml documents every Secret)`);
        const cm = e.valueFrom?.configMapKeyRef;
        if (cm && !cm.optional && !(configMaps.get(cm.name) && cm.key in configMaps.get(cm.name))) problem(cid, `env ${e.name}: ConfigMap ${cm.name} key ${cm.key} missing`);
      }
      if (c.securityContext?.allowPrivilegeEscalation !== false) problem(cid, "securityContext.allowPrivilegeEscalation must be false");
    }
    if (pod.spec.securityContext?.runAsNonRoot !== true) problem(id, "pod securityContext.runAsNonRoot must be true");
    if (doc.kind === "StatefulSet") {
      const svc = byKind("Service").find((s) => s.doc.metadata.name === doc.spec.serviceName);
      if (!svc) problem(id, `serviceName ${doc.spec.serviceName} has no Service`);
      else if (svc.doc.spec.clusterIP !== "None") problem(id, `Service ${doc.spec.serviceName} must be headless (clusterIP: None)`);
    }
  }
  const ledger = workloads.find((w) => w.doc.kind === "Deployment" && w.doc.metadata.name === "ledger");
  if (!ledger) problem(label, "no Deployment named ledger");
  else if ((ledger.doc.spec.replicas ?? 1) < 2) problem(label, "Deployment ledger needs replicas >= 2");
  for (const { doc } of byKind("Service")) {
    const id = `${label} Service/${doc.metadata.name}`;
    const targets = workloads.filter((w) => matches(doc.spec.selector, w.doc.spec.template.metadata?.labels));
    if (targets.length === 0) { problem(id, "selector matches no workload"); continue; }
    for (const p of doc.spec.ports ?? []) {
      if (typeof p.targetPort !== "string") continue;
      const ok = targets.some((w) => w.doc.spec.template.spec.containers.some((c) => (c.ports ?? []).some((cp) => cp.name === p.targetPort)));
      if (!ok) problem(id, `targetPort "${p.targetPort}" is not a named container port`);
    }
  }
  for (const { doc } of byKind("PodDisruptionBudget")) {
    if (!workloads.some((w) => matches(doc.spec.selector?.matchLabels, w.doc.spec.template.metadata?.labels))) problem(`${label} PodDisruptionBudget/${doc.metadata.name}`, "selector matches no workload");
  }
  for (const { doc } of byKind("NetworkPolicy")) {
    if (!workloads.some((w) => matches(doc.spec.podSelector?.matchLabels, w.doc.spec.template.metadata?.labels))) problem(`${label} NetworkPolicy/${doc.metadata.name}`, "podSelector matches no workload");
  }
}

// ---------- main ----------
const args = process.argv.slice(2);
let checked = 0;
if (args[0] === "--rendered") {
  const docs = readDocs(args[1]);
  docs.forEach(({ doc, where }) => { validateDocument(doc, where); checked++; });
  const exampleSecrets = args[2] ? readDocs(args[2]) : [];
  const external = new Map(exampleSecrets.map(({ doc }) => [doc.metadata.name, { ...(doc.data ?? {}), ...(doc.stringData ?? {}) }]));
  checkReferences(docs, external, args[1]);
} else {
  const root = args[0] ?? "deploy/k8s";
  const files = [];
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => {
    const f = path.join(d, e.name);
    if (e.isDirectory()) walk(f); else if (/\.ya?ml$/.test(e.name)) files.push(f);
  });
  walk(root);
  const exampleSecrets = [];
  for (const f of files) {
    for (const { doc, where } of readDocs(f)) {
      validateDocument(doc, where); checked++;
      if (doc?.kind === "Secret" && path.basename(f).includes("example")) exampleSecrets.push(doc);
    }
  }
  // Secrets are created by the operator (never committed); the example file documents their keys.
  const external = new Map(exampleSecrets.map((s) => [s.metadata.name, { ...(s.data ?? {}), ...(s.stringData ?? {}) }]));
  for (const f of files.filter((x) => path.basename(x) === "kustomization.yaml")) {
    checkReferences(resolveKustomization(path.dirname(f)), external, path.dirname(f));
  }
}
if (problems.length) {
  console.error(`Kubernetes manifests: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(`Kubernetes manifests: ${checked} document(s) valid, references consistent`);
