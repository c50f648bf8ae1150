import { describe, expect, it } from 'vitest';
import { calendarHolidays, HolidayCalendarSchema, holidaysBetween } from '../../domain/holidays.ts';
import { seasonCoverageProblems, seasonOf } from '../../domain/seasons.ts';
import { buildSlotGrid } from '../../domain/slot-grid.ts';
import { classifySlots, TariffSchema, type TariffInput } from '../../domain/tariff.ts';
import { CALIFORNIA_UTILITY_HOLIDAYS } from './fixtures.ts';

/** A two-season tariff: summer June to September with a 12:00-18:00 on-peak, winter flat with a midnight-wrapping off-peak. */
const seasonal: TariffInput = {
  name: 'Seasonal TOU',
  timeZone: 'America/Los_Angeles',
  effectiveDate: '2026-01-01',
  seasons: [
    { name: 'summer', from: '06-01', to: '09-30' },
    { name: 'winter', from: '10-01', to: '05-31' },
  ],
  periods: [
    { season: 'summer', start: '00:00', end: '08:00', energyRate: 0.1, category: 'off-peak' },
    { season: 'summer', start: '08:00', end: '12:00', energyRate: 0.15, category: 'mid-peak' },
    { season: 'summer', start: '12:00', end: '18:00', energyRate: 0.3, category: 'on-peak' },
    { season: 'summer', start: '18:00', end: '00:00', energyRate: 0.15, category: 'mid-peak' },
    { season: 'winter', start: '21:30', end: '08:30', energyRate: 0.09, category: 'off-peak' },
    { season: 'winter', start: '08:30', end: '21:30', energyRate: 0.12, category: 'mid-peak' },
    { dayType: 'weekend', start: '00:00', end: '00:00', energyRate: 0.08, category: 'off-peak' },
  ],
  holidayCalendar: CALIFORNIA_UTILITY_HOLIDAYS,
};

describe('seasons', () => {
  it('finds the season of a date, including one that wraps the year end', () => {
    const seasons = TariffSchema.parse(seasonal).seasons!;
    expect(seasonOf(seasons, '2026-06-01')?.name).toBe('summer');
    expect(seasonOf(seasons, '2026-09-30')?.name).toBe('summer');
    expect(seasonOf(seasons, '2026-10-01')?.name).toBe('winter');
    expect(seasonOf(seasons, '2027-01-15')?.name).toBe('winter');
    expect(seasonOf(seasons, '2028-02-29')?.name).toBe('winter');
    expect(seasonOf([], '2026-06-01')).toBeUndefined();
  });

  it('names the days no season covers and the days two seasons claim', () => {
    expect(
      seasonCoverageProblems([
        { name: 'summer', from: '06-01', to: '09-30' },
        { name: 'winter', from: '10-02', to: '05-31' },
      ]),
    ).toEqual(['no season covers 10-01']);
    expect(
      seasonCoverageProblems([
        { name: 'summer', from: '05-01', to: '09-30' },
        { name: 'winter', from: '10-01', to: '02-28' },
      ]),
    ).toEqual(['no season covers 02-29 to 04-30']);
    expect(
      seasonCoverageProblems([
        { name: 'a', from: '01-01', to: '06-30' },
        { name: 'b', from: '06-30', to: '12-31' },
      ]),
    ).toEqual(['06-30 is in more than one season (a, b)']);
  });

  it('rejects periods that name an unknown season or leave a season uncovered, with the field path', () => {
    const bad = structuredClone(seasonal);
    bad.periods[0].season = 'summr';
    bad.periods.splice(5, 1);
    bad.seasons![1].from = '13-01';
    const result = TariffSchema.safeParse(bad);
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toContain('seasons.1.from: must be a month and day MM-DD');
    const fixed = structuredClone(bad);
    fixed.seasons![1].from = '10-01';
    const again = TariffSchema.safeParse(fixed).error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(again).toContain('periods.0.season: names no season of the tariff (summer, winter)');
    expect(again).toContain('periods: weekday periods in season winter leave 08:30-21:30 uncovered');
  });
});

describe('holiday calendars', () => {
  it("takes a utility's observed holidays from the maintained calendar, substitute days included", () => {
    const calendar = HolidayCalendarSchema.parse(seasonal.holidayCalendar);
    expect(calendarHolidays(calendar, [2026]).map((h) => `${h.date} ${h.name}`)).toEqual([
      "2026-01-01 New Year's Day",
      "2026-02-16 Presidents' Day",
      '2026-05-25 Memorial Day',
      '2026-07-03 Independence Day (substitute day)',
      '2026-07-04 Independence Day',
      '2026-09-07 Labor Day',
      '2026-11-11 Veterans Day',
      '2026-11-26 Thanksgiving Day',
      '2026-12-25 Christmas Day',
    ]);
    const noSubstitutes = HolidayCalendarSchema.parse({ ...seasonal.holidayCalendar, substituteDays: false });
    expect(calendarHolidays(noSubstitutes, [2026]).map((h) => h.date)).not.toContain('2026-07-03');
  });

  it('works for other countries and regions, and adds listed extra days', () => {
    const bavaria = HolidayCalendarSchema.parse({ country: 'DE', state: 'BY', except: ['Epiphany'] });
    const days = holidaysBetween(bavaria, ['2026-12-24'], '2026-01-01', '2026-06-30').map((h) => h.date);
    expect(days).toEqual(['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25', '2026-06-04']);
    expect(holidaysBetween(bavaria, ['2026-12-24'], '2026-12-20', '2026-12-31').map((h) => h.date)).toEqual([
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
    ]);
  });

  it('rejects unknown countries, states and holiday names, saying what it knows', () => {
    const issues = (input: unknown) => HolidayCalendarSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ country: 'XX' })).toEqual(['country: XX has no holiday calendar']);
    expect(issues({ country: 'US', state: 'ZZ' })?.[0]).toMatch(/^state: US has no state ZZ \(known: AL, AK/);
    expect(issues({ country: 'US', only: ['Thanksgivng Day'] })?.[0]).toMatch(/^only\.0: Thanksgivng Day is not a holiday of US/);
  });

  it('prices a holiday with the weekend periods', () => {
    const tariff = TariffSchema.parse(seasonal);
    // Thursday 26 Nov 2026 is Thanksgiving; Wednesday 25 Nov is an ordinary winter weekday.
    const slots = classifySlots(tariff, buildSlotGrid('2026-11-25', 'America/Los_Angeles', 2, 60));
    expect(slots[12]).toMatchObject({ localStart: '2026-11-25T12:00', season: 'winter', dayType: 'weekday', energyRate: 0.12 });
    expect(slots[24 + 12]).toMatchObject({ localStart: '2026-11-26T12:00', season: 'winter', dayType: 'holiday', energyRate: 0.08 });
  });
});

describe('classification by season and local time', () => {
  const tariff = TariffSchema.parse(seasonal);

  it('uses the summer periods in summer and the winter ones in winter', () => {
    const summer = classifySlots(tariff, buildSlotGrid('2026-07-15', 'America/Los_Angeles', 1, 60));
    expect(summer.map((s) => s.energyRate)).toEqual([
      ...Array(8).fill(0.1),
      ...Array(4).fill(0.15),
      ...Array(6).fill(0.3),
      ...Array(6).fill(0.15),
    ]);
    expect(summer[14]).toMatchObject({ season: 'summer', category: 'on-peak' });
  });

  it('averages a slot over the periods it spans, by time (an 08:30 boundary in hourly slots)', () => {
    const winter = classifySlots(tariff, buildSlotGrid('2026-12-02', 'America/Los_Angeles', 1, 60));
    // 08:00-09:00: 30 min off-peak at 0.09 and 30 min mid-peak at 0.12; 21:00-22:00 the other way round.
    expect(winter[8].energyRate).toBeCloseTo(0.105, 12);
    expect(winter[8].category).toBe('off-peak');
    expect(winter[21].energyRate).toBeCloseTo(0.105, 12);
    // The off-peak period wraps midnight: 00:00-08:00 and 22:00-24:00 are off-peak.
    expect(winter[0]).toMatchObject({ category: 'off-peak', energyRate: 0.09 });
    expect(winter[23]).toMatchObject({ category: 'off-peak', energyRate: 0.09 });
    const quarter = classifySlots(tariff, buildSlotGrid('2026-12-02', 'America/Los_Angeles', 1, 15));
    expect(quarter.slice(32, 36).map((s) => s.energyRate)).toEqual([0.09, 0.09, 0.12, 0.12]);
  });

  it('keeps local time across the spring-forward night in summer time tariffs', () => {
    // 8 March 2026 is a Sunday (weekend all day); Monday 9 March has 24 hours of local time again.
    const grid = buildSlotGrid('2026-03-08', 'America/Los_Angeles', 2, 60);
    expect(grid.slotCount).toBe(23 + 24);
    const slots = classifySlots(tariff, grid);
    expect(slots[2].localStart).toBe('2026-03-08T03:00');
    expect(slots[23]).toMatchObject({ localStart: '2026-03-09T00:00', dayType: 'weekday', energyRate: 0.09 });
    expect(slots[23 + 9]).toMatchObject({ localStart: '2026-03-09T09:00', energyRate: 0.12 });
  });
});
