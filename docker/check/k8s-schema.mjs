// Validates Kubernetes manifests against the API's schemas (from the npm package
// kubernetes-models, generated from Kubernetes' OpenAPI spec) and rejects unknown fields.
//   node k8s-schema.mjs FILE.yaml...      exit 0 when every document is valid
// tests/e2e/test_deploy.py installs this directory's package-lock.json with `npm ci` and runs it;
// no schema is fetched at run time.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// The module of a compiled schema: "apps/v1" + "Deployment" -> IoK8sApiAppsV1Deployment.
function schemaModule(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["core", apiVersion];
  const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  return `kubernetes-models/_schemas/IoK8sApi${cap(group.split(".")[0])}${cap(version)}${kind}`;
}

// Wraps a document in proxies that record which members the validator reads. A JSON-schema
// validator reads every property its schema declares, and enumerates the keys of maps
// (additionalProperties), so a key it never touched is a field the schema does not know.
function track(value, path, seen, maps) {
  if (Array.isArray(value)) return value.map((v, i) => track(v, `${path}/${i}`, seen, maps));
  if (value === null || typeof value !== "object") return value;
  const copy = {};
  for (const k of Object.keys(value)) copy[k] = track(value[k], `${path}/${k}`, seen, maps);
  return new Proxy(copy, {
    get(o, k) {
      if (typeof k === "string") seen.add(`${path}/${k}`);
      return o[k];
    },
    ownKeys(o) {
      maps.add(path);
      return Reflect.ownKeys(o);
    },
  });
}

function unknownFields(value, path, seen, maps, out) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownFields(v, `${path}/${i}`, seen, maps, out));
  } else if (value !== null && typeof value === "object") {
    for (const k of Object.keys(value)) {
      const p = `${path}/${k}`;
      if (!maps.has(path) && !seen.has(p)) out.push(p);
      else unknownFields(value[k], p, seen, maps, out);
    }
  }
}

async function checkDocument(doc, where) {
  if (!doc || typeof doc.apiVersion !== "string" || typeof doc.kind !== "string")
    return [`${where}: no apiVersion and kind`];
  let validate;
  try {
    ({ validate } = await import(schemaModule(doc.apiVersion, doc.kind)));
  } catch {
    return [`${where}: no schema for ${doc.apiVersion} ${doc.kind}`];
  }
  const seen = new Set();
  const maps = new Set();
  const errors = [];
  if (!validate(track(doc, "", seen, maps)))
    for (const e of validate.errors) {
      const why = e.message ?? `${e.keyword} ${JSON.stringify(e.params)}`;
      errors.push(`${where}: ${e.instancePath || "/"} ${why}`);
    }
  const unknown = [];
  unknownFields(doc, "", seen, maps, unknown);
  for (const p of unknown) errors.push(`${where}: ${p} is not a field of ${doc.kind}`);
  return errors;
}

async function main(files) {
  let documents = 0;
  const errors = [];
  for (const file of files) {
    const docs = parseAllDocuments(readFileSync(file, "utf8"));
    for (const [i, d] of docs.entries()) {
      if (d.errors.length) {
        errors.push(`${file}: document ${i + 1}: ${d.errors[0].message}`);
        continue;
      }
      const doc = d.toJS();
      const name = doc?.metadata?.name ?? "?";
      errors.push(...(await checkDocument(doc, `${file}: ${doc?.kind ?? "?"} ${name}`)));
      documents++;
    }
  }
  for (const e of errors) console.error(e);
  console.log(`k8s-schema: ${documents} document(s), ${errors.length} error(s)`);
  return errors.length ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
