import test from 'ava';

import { cpuTicks, StealMeter, ticksOfProcStat } from '../bench/steal.js';

const linux = process.platform === 'linux';

(linux ? test : test.skip)('/proc/stat: steal is a part of all ticks, and a busy interval adds ticks', async (t) => {
  const before = cpuTicks()!;
  t.true(before.steal >= 0 && before.steal <= before.total);
  const meter = new StealMeter();
  const spun = await meter.during(async () => {
    const start = Date.now();
    let x = 0;
    while (Date.now() - start < 150) x += 1;
    return x;
  });
  t.true(spun > 0);
  const after = cpuTicks()!;
  // 150 ms on one core is 15 ticks at USER_HZ = 100; every core's idle time counts too.
  t.true(after.total - before.total >= 10, `${after.total - before.total} ticks`);
  const fraction = meter.fraction();
  t.true(fraction !== null && fraction >= 0 && fraction <= 1, String(fraction));
});

test('a meter that measured nothing reports no fraction', (t) => {
  t.is(new StealMeter().fraction(), null);
});

test('/proc/stat parsing: steal is the eighth count, the total the sum of the first eight (guest time is inside user)', (t) => {
  const line = 'cpu  4705 150 1120 16250 520 30 45 77 900 11\ncpu0 2000 75 560 8125 260 15 20 40 450 5\n';
  t.deepEqual(ticksOfProcStat(line), { steal: 77, total: 4705 + 150 + 1120 + 16250 + 520 + 30 + 45 + 77 });
  t.is(ticksOfProcStat('cpu0 1 2 3 4 5 6 7 8\n'), null);
  t.is(ticksOfProcStat('cpu 1 2 3 4 5 6 7\n'), null);
});
