-- wrk script: POST {"instances": [...]} of BATCH_SIZE random valid customers (default 1000) to the batch endpoint.
-- usage: wrk -t1 -c8 -d10s --latency -s bench/batch.lua http://127.0.0.1:8080/v1/models/churn:predict
--   predictions/s = Requests/sec x BATCH_SIZE (every answer must be 2xx: wrk reports "Non-2xx" otherwise)
-- Makes POOL distinct bodies (default 64) before the run and sends them in turn, so wrk spends the shared cores
-- on sending rather than on making bodies; no two bodies in a row are alike, and the server caches nothing.
math.randomseed(42)
local contracts = {"month-to-month", "one_year", "two_year"}
local internet = {"DSL", "Fiber", "None"}
local size = tonumber(os.getenv("BATCH_SIZE") or "1000")
local pool = tonumber(os.getenv("POOL") or "64")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("API_KEY") or "dev-key"
local requests = {}

-- Built in init, once wrk has set the Host header from the URL.
init = function(args)
  for p = 1, pool do
    local parts = {}
    for i = 1, size do
      parts[i] = string.format(
        '{"tenure_months":%d,"monthly_charges":%.2f,"contract_type":"%s","num_products":%d,"internet_service":"%s"}',
        math.random(1, 120), 18 + math.random() * 130, contracts[math.random(1, 3)],
        math.random(1, 8), internet[math.random(1, 3)])
    end
    requests[p] = wrk.format(nil, nil, nil, '{"instances":[' .. table.concat(parts, ",") .. ']}')
  end
end

local n = 0
request = function()
  n = n % pool + 1
  return requests[n]
end
