-- wrk script: POST a complete window application to /v1/applications, each request with its own
-- Idempotency-Key, so every request creates (and numbers) one application.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"matter":"public_place_hygiene_license","submission":{"applicant":{"kind":"enterprise_legal_person"},"channel":"window","fields":{"unit_name":"济南示例宾馆有限公司","uscc":"91370102MA3C0A019G","responsible_person_id":"370102198506153214","phone":"13912345678","venue_type":"hotel","floor_area":1200,"central_ac":false},"materials":{"application_form":{"status":"provided","form":"original","medium":"paper"},"identity_proof":{"status":"provided","form":"original_and_copy","medium":"paper"},"site_plans":{"status":"provided","form":"original","medium":"paper"},"hygiene_report":{"status":"provided","form":"original","medium":"paper"},"hygiene_rules":{"status":"provided","form":"original","medium":"paper"}}}}]]

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local n = 0
function request()
  n = n + 1
  wrk.headers["Idempotency-Key"] = string.format("bench-%d-%d", tid, n)
  return wrk.format()
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx_or_errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
