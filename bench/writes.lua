-- wrk script for bench/writes.sh. MODE=create posts a new task per request; MODE=cancel
-- cancels, one per request, the open tasks listed in IDS (a file of ids, one a line), each
-- wrk thread taking every THREADS-th id from its own offset so no two requests move one task.
local threads = 0

function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

function init(args)
  mode = os.getenv("MODE") or "create"
  token = os.getenv("TOKEN")
  stride = tonumber(os.getenv("THREADS") or "2")
  headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }
  ids = {}
  if mode == "cancel" then
    for line in io.lines(os.getenv("IDS")) do
      ids[#ids + 1] = line
    end
  end
  next_id = offset + 1
  deadline = os.getenv("DEADLINE")
  sent = 0
end

function request()
  sent = sent + 1
  if mode == "cancel" then
    local id = ids[next_id]
    next_id = next_id + stride
    if id == nil then
      -- Every task of this thread is moved: stop, so the rate is over the time it worked.
      wrk.thread:stop()
      id = "none"
    end
    return wrk.format("POST", "/api/v1/tasks/" .. id .. "/cancellation", headers,
      '{"note":"bench: cancelled"}')
  end
  return wrk.format("POST", "/api/v1/tasks", headers,
    '{"kind":"consultation","title":"bench task ' .. offset .. '-' .. sent ..
    '","description":"a task the write benchmark created","field":"logistics","deadline":"' ..
    deadline .. '","confidentiality":"internal"}')
end
