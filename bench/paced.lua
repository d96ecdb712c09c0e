-- bench/paced.lua -- wrk at a fixed request rate instead of as fast as
-- the server answers: `wrk -tT -cC -dD -s bench/paced.lua URL -- RATE`
-- sends RATE requests per second in each of the T threads (the caller
-- divides the whole rate by T).  Debian 12 has wrk, not wrk2, so the
-- schedule is kept here: wrk asks delay() before every request on every
-- connection, and each call takes the thread's next slot on a clock
-- (slots INTERVAL apart) and waits until it.  A thread that fell more
-- than 100 ms behind (a server slower than the rate) starts again from
-- now instead of sending the backlog at once; the rate wrk reports is
-- then lower than asked, and bench/nodes.sh says so.
local ffi = require("ffi")
ffi.cdef [[
struct paced_timespec { long tv_sec; long tv_nsec; };
int clock_gettime(int clock, struct paced_timespec *ts);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("struct paced_timespec")

local function now_ms()
	ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
	return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local interval
local slot

function init(args)
	local rate = tonumber(args[1])
	if not rate or rate <= 0 then
		error("bench/paced.lua: give the requests per second of a thread after --")
	end
	interval = 1000 / rate
end

function delay()
	local now = now_ms()
	if not slot or slot < now - 100 then
		slot = now
	else
		slot = slot + interval
	end
	local wait = slot - now
	if wait < 0 then
		return 0
	end
	return math.floor(wait + 0.5)
end
