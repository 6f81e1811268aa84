-- wrk script for scripts/scale-test: POSTs the article in $WIRETAG_ARTICLE (JSON) to /v1/tag on
-- every connection, counts responses that are not 2xx (per status), and prints one summary line
-- that scale-test parses:  SCALE requests=N non2xx=N connect=N read=N write=N timeout=N statuses=...

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   local path = os.getenv("WIRETAG_ARTICLE")
   local f = assert(io.open(path, "rb"), "cannot read " .. tostring(path))
   wrk.method = "POST"
   wrk.body = f:read("*a")
   f:close()
   wrk.headers["Content-Type"] = "application/json"
   non2xx = 0
   statuses = ""
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      -- Keep the first few failing statuses for the report.
      if #statuses < 200 then
         statuses = statuses .. status .. ","
      end
   end
end

function done(summary, latency, requests)
   local non, seen = 0, ""
   for _, t in ipairs(threads) do
      non = non + t:get("non2xx")
      seen = seen .. t:get("statuses")
   end
   local e = summary.errors
   io.write(string.format(
      "SCALE requests=%d non2xx=%d connect=%d read=%d write=%d timeout=%d p99_ms=%.1f statuses=%s\n",
      summary.requests, non, e.connect, e.read, e.write, e.timeout,
      latency:percentile(99) / 1000.0, seen == "" and "-" or seen))
end
