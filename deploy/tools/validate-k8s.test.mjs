// Proves validate-k8s.mjs fails on the mistakes it claims to catch: each case copies deploy/k8s to a
// temporary directory, breaks one thing and expects exit code 1 with a message naming the problem.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const k8s = path.resolve(here, "../k8s");
const validator = path.join(here, "validate-k8s.mjs");

function run(dir) {
  const r = spawnSync(process.execPath, [validator, dir], { encoding: "utf8" });
  return { code: r.status, out: r.stdout + r.stderr };
}
function withBroken(file, edit) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-check-"));
  fs.cpSync(k8s, dir, { recursive: true });
  const target = path.join(dir, file);
  const before = fs.readFileSync(target, "utf8");
  const after = edit(before);
  assert.notEqual(after, before, `the edit of ${file} changed nothing`);
  fs.writeFileSync(target, after);
  try { return run(dir); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

test("the shipped manifests pass", () => {
  const r = run(k8s);
  assert.equal(r.code, 0, r.out);
});

const cases = [
  ["a misspelt field", "base/deployment.yaml", (s) => s.replace("readinessProbe:", "readinesProbe:"), /unknown field "readinesProbe"/],
  ["a wrong value type", "base/deployment.yaml", (s) => s.replace("replicas: 2", "replicas: two"), /schema: .*replicas must be integer/],
  ["a single replica", "base/deployment.yaml", (s) => s.replace("replicas: 2", "replicas: 1"), /replicas >= 2/],
  ["a probe on an undeclared port", "base/deployment.yaml", (s) => s.replace(/path: \/actuator\/health\/readiness\n(\s+)port: management/, "path: /actuator/health/readiness\n$1port: web"), /readinessProbe uses port "web"/],
  ["memory request below the limit", "base/deployment.yaml", (s) => s.replace(/memory: 1536Mi/, "memory: 1Gi"), /memory request must equal the limit/],
  ["a Secret key nobody defines", "base/deployment.yaml", (s) => s.replace("key: password", "key: passwd"), /Secret ledger-postgres key passwd not defined/],
  ["a Service selecting no pods", "base/service.yaml", (s) => s.replace(/component: api\n  ports:/, "component: web\n  ports:"), /Service\/ledger: selector matches no workload/],
  ["a PDB selecting no pods", "base/pdb.yaml", (s) => s.replace(/component: api\s*$/, "component: db\n"), /PodDisruptionBudget\/ledger: selector matches no workload/],
  ["a patch of a missing ConfigMap", "axonserver/ledger-config-axonserver.yaml", (s) => s.replace("name: ledger-config", "name: ledger-settings"), /patch targets ConfigMap\/ledger-settings/],
  ["a missing resource file", "base/kustomization.yaml", (s) => s.replace("- pdb.yaml", "- pdb-missing.yaml"), /resource pdb-missing.yaml does not exist/],
  ["an unknown kind", "base/pdb.yaml", (s) => s.replace("kind: PodDisruptionBudget", "kind: PodDisruptionBudgt"), /unknown apiVersion\/kind policy\/v1\/PodDisruptionBudgt/],
  ["a duplicate key", "base/configmap.yaml", (s) => s.replace('SERVER_PORT: "8080"', 'SERVER_PORT: "8080"\n  SERVER_PORT: "8081"'), /YAML: .*[Dd]uplicate|YAML: .*unique/],
  ["a StatefulSet without its headless Service", "axonserver/axonserver-services.yaml", (s) => s.replace("clusterIP: None", "clusterIP: 10.0.0.10"), /must be headless/],
];
for (const [name, file, edit, expected] of cases) {
  test(`rejects ${name}`, () => {
    const r = withBroken(file, edit);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, expected);
  });
}
