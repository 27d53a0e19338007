-- wrk script: POST a different valid churn request each time (no two bodies alike, so no cache helps).
-- usage: wrk -t1 -c64 -d10s --latency -s bench/predict.lua http://127.0.0.1:PORT/predict
--   the key is $API_KEY, default dev-key; bench/compare.sh runs it on churn-serving and on the FastAPI reference
math.randomseed(42)
local contracts = {"month-to-month", "one_year", "two_year"}
local internet = {"DSL", "Fiber", "None"}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("API_KEY") or "dev-key"
request = function()
  local body = string.format(
    '{"tenure_months":%d,"monthly_charges":%.2f,"contract_type":"%s","num_products":%d,"internet_service":"%s"}',
    math.random(1, 120), 18 + math.random() * 130, contracts[math.random(1, 3)],
    math.random(1, 8), internet[math.random(1, 3)])
  return wrk.format(nil, nil, nil, body)
end
