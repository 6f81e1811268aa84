-- wrk script for scripts/soak: a fixed mix of valid and invalid requests, each kind with the
-- status it must get. The kind travels in X-Request-Id ("soak-json"), which the service echoes,
-- so every response is checked against its own request whatever the order of connections.
-- Bodies come from files run.py writes to $SOAK_DIR. Prints one summary line run.py parses:
--   SOAK requests=N connect=N read=N write=N timeout=N status=CODE:N,... unexpected=KIND:CODE:N,...

local kinds = {
   -- kind, expected status, method, path, content type, body file ("" for none)
   {"json", 200, "POST", "/v1/tag", "application/json", "article.json"},
   {"text", 200, "POST", "/v1/tag?types=person,country", "text/plain; charset=utf-8", "article.txt"},
   {"html", 200, "POST", "/v1/tag?annotate=first", "text/html; charset=utf-8", "article.html"},
   {"badjson", 400, "POST", "/v1/tag", "application/json", "malformed.json"},
   {"badutf", 400, "POST", "/v1/tag", "text/plain", "invalid-utf8.txt"},
   {"toolarge", 413, "POST", "/v1/tag", "text/plain", "oversized.txt"},
   {"nontext", 422, "POST", "/v1/tag", "application/json", "missing-text.json"},
   {"ctype", 415, "POST", "/v1/tag", "application/xml", "article.txt"},
   {"method", 405, "GET", "/v1/tag", nil, ""},
   {"nopath", 404, "GET", "/v2/tag", nil, ""},
   {"health", 200, "GET", "/health", nil, ""},
}
-- The cycle every connection's requests follow: mostly valid work, every kind of error.
local cycle = {"json", "text", "json", "html", "badjson", "json", "text", "badutf", "json",
               "html", "toolarge", "json", "method", "text", "nontext", "json", "nopath",
               "ctype", "html", "health"}

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

local function slurp(name)
   local path = os.getenv("SOAK_DIR") .. "/" .. name
   local f = assert(io.open(path, "rb"), "cannot read " .. path)
   local s = f:read("*a")
   f:close()
   return s
end

local requests, expected, at = {}, {}, 0

function init(args)
   local built = {}
   for _, k in ipairs(kinds) do
      local name, want, method, path, ctype, file = k[1], k[2], k[3], k[4], k[5], k[6]
      local headers = {["X-Request-Id"] = "soak-" .. name, ["Host"] = "127.0.0.1"}
      if ctype then
         headers["Content-Type"] = ctype
      end
      local body = nil
      if file ~= "" then
         body = slurp(file)
      end
      built[name] = wrk.format(method, path, headers, body)
      expected[name] = want
   end
   for i, name in ipairs(cycle) do
      requests[i] = built[name]
   end
   statuses = {}
   unexpected = {}
end

function request()
   at = at % #requests + 1
   return requests[at]
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   local id = headers["X-Request-Id"] or headers["x-request-id"] or ""
   local kind = string.match(id, "^soak%-(%a+)$")
   if not kind or expected[kind] ~= status then
      local key = (kind or "?") .. ":" .. status
      unexpected[key] = (unexpected[key] or 0) + 1
   end
end

local function merge(into, from)
   for k, v in pairs(from) do
      into[k] = (into[k] or 0) + v
   end
end

local function join(t)
   local keys = {}
   for k in pairs(t) do
      table.insert(keys, k)
   end
   table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
   local out = {}
   for _, k in ipairs(keys) do
      table.insert(out, tostring(k) .. ":" .. t[k])
   end
   return #out > 0 and table.concat(out, ",") or "-"
end

function done(summary, latency, requests)
   local st, un = {}, {}
   for _, t in ipairs(threads) do
      merge(st, t:get("statuses"))
      merge(un, t:get("unexpected"))
   end
   local e = summary.errors
   io.write(string.format(
      "SOAK requests=%d duration_us=%d connect=%d read=%d write=%d timeout=%d " ..
      "p50_ms=%.2f p99_ms=%.2f max_ms=%.2f status=%s unexpected=%s\n",
      summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50) / 1000.0, latency:percentile(99) / 1000.0, latency.max / 1000.0,
      join(st), join(un)))
end
