-- wrk script: POST a different single-row Open Inference Protocol request each time, named-columns form (one input
-- per field of churn's schema), the counterpart of bench/predict.lua for comparing the two side by side.
-- usage: wrk -t1 -c64 -d10s --latency -s bench/oip_infer.lua http://127.0.0.1:PORT/v2/models/churn/infer
--   the key is $API_KEY, default dev-key
math.randomseed(42)
local contracts = {"month-to-month", "one_year", "two_year"}
local internet = {"DSL", "Fiber", "None"}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("API_KEY") or "dev-key"
request = function()
  local body = string.format(
    '{"inputs":[{"name":"tenure_months","shape":[1],"datatype":"INT64","data":[%d]},'
    .. '{"name":"monthly_charges","shape":[1],"datatype":"FP32","data":[%.2f]},'
    .. '{"name":"contract_type","shape":[1],"datatype":"BYTES","data":["%s"]},'
    .. '{"name":"num_products","shape":[1],"datatype":"INT64","data":[%d]},'
    .. '{"name":"internet_service","shape":[1],"datatype":"BYTES","data":["%s"]}]}',
    math.random(1, 120), 18 + math.random() * 130, contracts[math.random(1, 3)],
    math.random(1, 8), internet[math.random(1, 3)])
  return wrk.format(nil, nil, nil, body)
end
