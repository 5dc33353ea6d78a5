import { registerAreas, type AreaInput } from '../core/areas/area-use-cases.js';
import type { Caller } from '../core/auth/caller.js';
import type { Deps } from '../core/deps.js';
import { createSegment } from '../core/segments/segment-use-cases.js';
import { importSubscribers } from '../core/subscribers/import-subscribers.js';
import { localTime } from '../core/time/local-time.js';
import { approveTemplate, createTemplate, submitTemplate } from '../core/templates/template-use-cases.js';
import { approveTour, createTour, submitTour } from '../core/tours/tour-use-cases.js';
import { createVan, setVanCrew } from '../core/tours/van-use-cases.js';

const AUTHOR: Caller = { id: 'demo-author', roles: ['author'] };
const APPROVER: Caller = { id: 'demo-approver', roles: ['approver'] };
const OPERATOR: Caller = { id: 'demo-operator', roles: ['operator'] };
const PROVINCE = 'DNI';
const SUBSCRIBERS = 10_000;
const QUIET_AREA = 'Trường THPT Đồng Xoài';

const COMMUNES: [code: string, name: string, residentialAreas: string[]][] = [
  ['DNI-DXOAI', 'Phường Đồng Xoài', ['Khu phố Tân Bình', 'Khu phố Phú Thanh', 'Khu phố Tiến Hưng', QUIET_AREA]],
  ['DNI-BPHUOC', 'Phường Bình Phước', ['Khu phố Phú Lạc', 'Khu phố Phước Bình']],
  ['DNI-DPHU', 'Xã Đồng Phú', ['Ấp Tân Hòa', 'Ấp Thuận Phú', 'Ấp Đồng Tiến']],
  ['DNI-TBIEN', 'Phường Trấn Biên', ['Khu phố Bửu Long', 'Khu phố nhà trọ công nhân Hố Nai']],
];
const DAY_MS = 86_400_000;
const TOUR_DAYS = 7;
const PREFIXES = ['086', '096', '097', '098', '032', '091', '094', '088', '090', '093', '089', '092', '056', '099'];
const TAGS = ['cong-nhan', 'tieu-thuong', 'hoc-sinh', 'nguoi-cao-tuoi'];

/**
 * Seeds a demo province: communes and residential areas with Vietnamese names (one a school, which
 * loudspeakers pass by), 10,000 generated subscribers imported through the real CSV import, two approved
 * templates and a segment, and two loudspeaker vans with a week of approved tours from tomorrow. Seeding
 * twice changes nothing.
 */
export async function seedDemo(deps: Deps): Promise<{ areas: number; subscribers: number; segmentId?: string; tours?: number }> {
  if ((await deps.audience.getAreas([PROVINCE])).length > 0) return { areas: 0, subscribers: 0 };
  const areas: AreaInput[] = [{ code: PROVINCE, name: 'Tỉnh Đồng Nai' }];
  for (const [code, name, residential] of COMMUNES) {
    areas.push({ code, name, parentCode: PROVINCE });
    for (const [index, areaName] of residential.entries()) {
      areas.push({ code: `${code}-${index + 1}`, name: areaName, parentCode: code, ...(areaName === QUIET_AREA && { quiet: true }) });
    }
  }
  await registerAreas(deps, APPROVER, areas);
  const leaves = areas.filter((area) => area.parentCode && area.parentCode !== PROVINCE && !area.quiet).map((area) => area.code);

  const report = await importSubscribers(deps, APPROVER, { name: 'demo.csv', read: () => demoCsv(leaves) });

  await approvedTemplate(deps, 'Khuyến cáo phòng dịch', 'UBND tỉnh Đồng Nai khuyến cáo: {{advice}}. Chi tiết gọi Tổng đài 1022.', [
    { name: 'advice', maxLength: 80 },
  ]);
  await approvedTemplate(deps, 'Lịch tiêm chủng', 'Lịch tiêm chủng tại {{place}} ngày {{date}}. Mang theo CCCD. Hotline 1022.', [
    { name: 'place', maxLength: 40 },
    { name: 'date', maxLength: 10 },
  ]);
  const segment = await createSegment(deps, AUTHOR, {
    name: 'Toàn tỉnh Đồng Nai',
    filter: { areas: [PROVINCE], tags: [], carriers: [] },
  });
  const tours = await seedTours(deps);
  return { areas: areas.length, subscribers: report.imported + report.updated, segmentId: segment.id, tours };
}

/** A van on the morning round of the two city wards, a motorbike on the afternoon round of the others. */
async function seedTours(deps: Deps): Promise<number> {
  const script = await createTemplate(deps, AUTHOR, {
    name: 'Phòng chống sốt xuất huyết',
    channel: 'loudspeaker',
    body:
      'Loa loa loa! Ủy ban nhân dân tỉnh Đồng Nai thông báo: mùa mưa là mùa sốt xuất huyết. Bà con hãy đậy kín ' +
      'dụng cụ chứa nước, thả cá diệt lăng quăng, ngủ màn cả ban ngày. Khi sốt cao, hãy đến ngay trạm y tế gần nhất.',
    placeholders: [],
    repetitionsPerStop: 2,
  });
  await submitTemplate(deps, AUTHOR, script.id);
  await approveTemplate(deps, APPROVER, script.id, 1);

  const rounds = [
    {
      plate: '60A-123.45',
      kind: 'van' as const,
      crewLead: { name: 'Nguyễn Văn Hải', phone: '0912000101' },
      homeCommune: 'DNI-DXOAI',
      // The demo's crew account (demo-accounts.ts) sees this van on the crew page, and no other.
      crew: ['hai'],
      at: '07:00',
      communes: ['DNI-DXOAI', 'DNI-BPHUOC'],
    },
    {
      plate: '60B1-678.90',
      kind: 'motorbike' as const,
      crewLead: { name: 'Trần Thị Mai', phone: '0912000102' },
      homeCommune: 'DNI-DPHU',
      crew: [],
      at: '14:30',
      communes: ['DNI-DPHU', 'DNI-TBIEN'],
    },
  ];
  const today = Date.parse(`${localTime(deps.clock.now(), deps.config.timezone).day}T00:00:00Z`);
  let count = 0;
  for (const { at, communes, crew, ...vanInput } of rounds) {
    const van = await createVan(deps, OPERATOR, vanInput);
    await setVanCrew(deps, OPERATOR, van.id, crew);
    const stops = COMMUNES.filter(([code]) => communes.includes(code)).flatMap(([code, , residential]) =>
      residential.map((_, index) => ({ areaCode: `${code}-${index + 1}`, minutes: 15 })),
    );
    for (let day = 1; day <= TOUR_DAYS; day++) {
      const date = new Date(today + day * DAY_MS).toISOString().slice(0, 10);
      const tour = await createTour(deps, AUTHOR, {
        name: `Sốt xuất huyết – ${van.plate}`,
        vanId: van.id,
        scriptId: script.id,
        scriptVersion: 1,
        schedule: { expression: `at(${date}T${at}:00)` },
        stops,
        priority: 'normal',
      });
      const submitted = await submitTour(deps, AUTHOR, tour.id);
      await approveTour(deps, APPROVER, tour.id, submitted.revision);
      count += 1;
    }
  }
  return count;
}

async function approvedTemplate(deps: Deps, name: string, body: string, placeholders: { name: string; maxLength: number }[]) {
  const template = await createTemplate(deps, AUTHOR, { name, body, placeholders });
  await submitTemplate(deps, AUTHOR, template.id);
  await approveTemplate(deps, APPROVER, template.id, 1);
}

async function* demoCsv(areaCodes: string[]): AsyncGenerator<string> {
  yield 'phone,area,tags\n';
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const prefix = PREFIXES[i % PREFIXES.length]!;
    const phone = `${prefix}${String(1_000_000 + i * 37).slice(-7)}`;
    const tags = [TAGS[i % TAGS.length], i % 7 === 0 ? TAGS[(i + 1) % TAGS.length] : undefined].filter(Boolean).join(';');
    yield `${phone},${areaCodes[i % areaCodes.length]},${tags}\n`;
  }
}
