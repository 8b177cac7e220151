-- wrk script for the intake benchmark: POST bodies prepared by bench/wrk.py to WRK_PATH (default /twilio/sms).
-- args: FILE NTHREADS [APOLOGY...]. Each line of FILE is "signature<TAB>body"; a body holding @N@ is a
-- template instead, numbered here (unsigned: for the baseline app, which checks nothing).
-- Each thread takes every NTHREADS-th line; answers holding an APOLOGY text are counted;
-- done() prints one JSON line after "WRK-JSON ".
local threads, counter = {}, 0
local path = os.getenv("WRK_PATH") or "/twilio/sms"

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local nthreads, line_no = tonumber(args[2]), 0
  reqs, n, wrapped, template, sorry, apologies = {}, 0, 0, nil, 0, {}
  for i = 3, #args do table.insert(apologies, args[i]) end
  for line in io.lines(args[1]) do
    if line_no % nthreads == id then
      local tab = line:find("\t", 1, true)
      local sig, body = line:sub(1, tab - 1), line:sub(tab + 1)
      if body:find("@N@", 1, true) then
        template = body
      else
        table.insert(reqs, wrk.format("POST", path, {
          ["Content-Type"] = "application/x-www-form-urlencoded", ["X-Twilio-Signature"] = sig,
        }, body))
      end
    end
    line_no = line_no + 1
  end
end

function request()
  n = n + 1
  if template then
    local body = template:gsub("@N@", string.format("%d%09d", id + 1, n))
    return wrk.format("POST", path, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
  end
  if n > #reqs then
    n, wrapped = 1, wrapped + 1
  end
  return reqs[n]
end

function response(status, headers, body)
  for _, text in ipairs(apologies) do
    if body and body:find(text, 1, true) then
      sorry = sorry + 1
      return
    end
  end
end

function done(summary, latency, requests)
  local wraps, sorry_total = 0, 0
  for _, thread in ipairs(threads) do
    wraps = wraps + (thread:get("wrapped") or 0)
    sorry_total = sorry_total + (thread:get("sorry") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, '
      .. '"timeout": %d, "p50_us": %d, "p99_us": %d, "wrapped": %d, "sorry": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), wraps, sorry_total))
end
