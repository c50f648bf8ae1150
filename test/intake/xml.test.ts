import { describe, expect, it } from 'vitest';
import { fixture, lines, read, rejection } from './support.ts';

const doc = (body: string) => `<?xml version="1.0"?>\n<runRequest>\n${body}\n</runRequest>\n`;
const SCHEDULE = (jobs: string) => `<schedule tenant="acme" site="p1" scheduleDate="2026-11-24" timeZone="UTC">${jobs}</schedule>`;
const JOB = `<job id="J1" product="Batch" quantity="1" unit="kg" heatingKwh="50" earliestStart="2026-11-24T06:00" deadline="2026-11-24T12:00"/>`;

const TARIFF = (demand: string) => `<tariff name="Flat" timeZone="UTC" effectiveDate="2026-01-01">
  <period start="00:00" end="12:00" energyRate="0.1" category="on-peak"/>
  <period start="12:00" end="00:00" energyRate="0.2" category="critical"/>
  ${demand}
</tariff>`;

describe('the XML adapter', () => {
  it('takes fields as attributes or elements, in any case, and lists as repeated elements or text', async () => {
    const xml =
      doc(`${SCHEDULE(`<Jobs><Job ID="J1"><Product>Batch &amp; co</Product><quantity>1,5</quantity><unit>kg</unit><heating_kwh>50</heating_kwh>
      <earliestStart>2026-11-24T06:00</earliestStart><deadline>2026-11-24T12:00</deadline><modulating>yes</modulating>
      <allowedEquipment>E1, E2</allowedEquipment></Job></Jobs>`)}
      <equipment><heater id="E1" name="One" type="Electric" capacityKw="100" efficiency="0.9">
        <unavailability start="2026-11-24T08:00" end="2026-11-24T09:00:00Z" reason="maintenance"/></heater>
      <heater id="E2" name="Two" type="heat_pump" capacityKw="100" efficiency="3"/></equipment>
      <settings slotMinutes="30"><priorityWeights>9 7 5 3 1</priorityWeights></settings>
      <notify><email>a@example.com</email><email>b@example.com</email></notify>`);
    const { request, format } = await read(xml, 'run.xml');
    expect(format).toBe('xml');
    expect(request.schedule.jobs[0]).toMatchObject({
      product: 'Batch & co',
      quantity: 1.5,
      modulating: true,
      allowedEquipment: ['E1', 'E2'],
    });
    expect(request.equipment!.map((e) => [e.type, e.unavailability.length])).toEqual([
      ['electric', 1],
      ['heat_pump', 0],
    ]);
    expect(request.settings).toMatchObject({ slotMinutes: 30, priorityWeights: [9, 7, 5, 3, 1] });
    expect(request.notify.email).toEqual(['a@example.com', 'b@example.com']);
  });

  it('reads the same day as the JSON', async () => {
    const [xml, json] = await Promise.all([read(fixture('same-day.xml'), 'same-day.xml'), read(fixture('same-day.json'))]);
    expect(xml.request).toEqual(json.request);
  });

  it('names the line and column where the XML is not well-formed', async () => {
    const err = await rejection(doc(`${SCHEDULE(JOB)}\n<settings><slotMinutes>15</settings>`), 'broken.xml');
    expect(lines(err)).toEqual([
      "broken.xml line 4, column 26: not well-formed XML: Expected closing tag 'slotMinutes' (opened in line 4, col 11) instead of closing tag 'settings'.",
    ]);
  });

  it('refuses DTDs and entity declarations', async () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE runRequest [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<runRequest>&x;</runRequest>`;
    expect(lines(await rejection(xxe, 'xxe.xml'))).toEqual([
      'xxe.xml line 2, column 1: declares a DTD or entities, which intake does not accept',
    ]);
  });

  it('names each wrong field by its element path and line', async () => {
    const xml = doc(
      SCHEDULE(
        `${JOB}\n<job id="J2" product="B" quantity="x" unit="kg" heatingKwh="5" earliestStart="2026-11-24T06:00" deadline="2026-11-24T12:00" colour="red"><priority>2</priority><priority>3</priority></job>`,
      ),
    );
    const err = await rejection(xml, 'bad.xml');
    expect(lines(err)).toEqual([
      'bad.xml line 4, column 1 (/runRequest/schedule/job[2]/priority): appears 2 times; priority takes one value',
      'bad.xml line 4, column 1 (/runRequest/schedule/job[2]/@quantity): "x" is not a number',
      expect.stringMatching(
        /^bad\.xml line 4, column 1 \(\/runRequest\/schedule\/job\[2\]\/@colour\): unknown field "colour" \(known: id, product, /,
      ),
    ]);
  });

  it('says which roots it knows', async () => {
    const err = await rejection('<?xml version="1.0"?><invoice/>', 'invoice.xml', { format: 'xml' });
    expect(lines(err)).toEqual(['invoice.xml line 1: the root element <invoice> is not <runRequest> or <productionSchedule>']);
  });

  it('reads demand charges of either kind, the ratchet, the metered peak by category and past peaks', async () => {
    const xml = doc(`${SCHEDULE(JOB)}
${TARIFF(`<demand intervalMinutes="30">
    <demandCharge kind="facility" rate="9.5" name="Facility"/>
    <demandCharge><kind>Time_Of_Use</kind><rate>14.75</rate><categories>on-peak, critical</categories></demandCharge>
    <ratchet percent="80" months="11" appliesTo="all"/>
  </demand>`)}
<settings><billing>
  <meteredPeak asOf="2026-11-23"><facilityKw>512</facilityKw><byCategoryKw on-peak="468"><critical>455</critical></byCategoryKw></meteredPeak>
  <pastPeaks><pastPeak month="2026-10" kw="640"/><pastPeak month="2026-09" kw="600"/></pastPeaks>
</billing></settings>`);
    const { request } = await read(xml, 'demand.xml');
    expect(request.tariff?.demand).toEqual({
      intervalMinutes: 30,
      charges: [
        { kind: 'facility', rate: 9.5, name: 'Facility' },
        { kind: 'time_of_use', rate: 14.75, categories: ['on-peak', 'critical'] },
      ],
      ratchet: { percent: 80, months: 11, appliesTo: 'all' },
    });
    expect(request.settings.billing).toEqual({
      meteredPeak: { asOf: '2026-11-23', facilityKw: 512, byCategoryKw: { 'on-peak': 468, critical: 455 } },
      pastPeaks: [
        { month: '2026-10', kw: 640 },
        { month: '2026-09', kw: 600 },
      ],
    });
  });

  it('refuses a demand charge with a bad field, naming its element path and line', async () => {
    const xml = doc(`${SCHEDULE(JOB)}
${TARIFF(`<demand intervalMinutes="20">
    <charge kind="facility" rate="cheap"/>
    <charge kind="monthly" rate="12"/>
    <charge kind="time_of_use" rate="12"><categories>on-peak peak</categories></charge>
    <charge kind="facility" rate="5" categories="on-peak"/>
  </demand>`)}
<settings><billing><meteredPeak asOf="2026-11-23"><byCategoryKw shoulder="400"/></meteredPeak></billing></settings>`);
    const err = await rejection(xml, 'bad-demand.xml');
    expect(lines(err)).toEqual([
      'bad-demand.xml line 8, column 5 (/runRequest/tariff/demand/charge[1]/@rate): "cheap" is not a number',
      'bad-demand.xml line 9, column 5 (/runRequest/tariff/demand/charge[2]/@kind): "monthly" is not one of facility, time_of_use',
      'bad-demand.xml line 10, column 5 (/runRequest/tariff/demand/charge[3]/categories[2]): "peak" is not one of off-peak, mid-peak, on-peak, critical',
      'bad-demand.xml line 7, column 3 (/runRequest/tariff/demand/@intervalMinutes): must be 15, 30 or 60 (minutes)',
      'bad-demand.xml line 11, column 5 (/runRequest/tariff/demand/charge[4]): Unrecognized key: "categories"',
      'bad-demand.xml line 14, column 51 (/runRequest/settings/billing/meteredPeak/byCategoryKw): Unrecognized key: "shoulder"',
    ]);
  });
});
