-- wrk script: POST a complete submission to /v1/matters/{id}/check.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"submission":{"applicant":{"kind":"natural_person"},"fields":{"unit_name":"好运宾馆","responsible_person_id":"11010519491231002X","phone":"13800138000","venue_type":"hotel","floor_area":300,"central_ac":false},"materials":{"application_form":{"status":"provided"},"identity_proof":{"status":"provided"},"site_plans":{"status":"provided"},"hygiene_report":{"status":"provided"},"hygiene_rules":{"status":"provided"}}}}]]

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx_or_errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
