import { registerAreas, type AreaInput } from '../core/areas/area-use-cases.js';
import type { Caller } from '../core/auth/caller.js';
import type { Deps } from '../core/deps.js';
import { createSegment } from '../core/segments/segment-use-cases.js';
import { importSubscribers } from '../core/subscribers/import-subscribers.js';
import { approveTemplate, createTemplate, submitTemplate } from '../core/templates/template-use-cases.js';

const AUTHOR: Caller = { id: 'demo-author', roles: ['author'] };
const APPROVER: Caller = { id: 'demo-approver', roles: ['approver'] };
const PROVINCE = 'DNI';
const SUBSCRIBERS = 10_000;

const COMMUNES: [code: string, name: string, residentialAreas: string[]][] = [
  ['DNI-DXOAI', 'Phường Đồng Xoài', ['Khu phố Tân Bình', 'Khu phố Phú Thanh', 'Khu phố Tiến Hưng']],
  ['DNI-BPHUOC', 'Phường Bình Phước', ['Khu phố Phú Lạc', 'Khu phố Phước Bình']],
  ['DNI-DPHU', 'Xã Đồng Phú', ['Ấp Tân Hòa', 'Ấp Thuận Phú', 'Ấp Đồng Tiến']],
  ['DNI-TBIEN', 'Phường Trấn Biên', ['Khu phố Bửu Long', 'Khu phố nhà trọ công nhân Hố Nai']],
];
const PREFIXES = ['086', '096', '097', '098', '032', '091', '094', '088', '090', '093', '089', '092', '056', '099'];
const TAGS = ['cong-nhan', 'tieu-thuong', 'hoc-sinh', 'nguoi-cao-tuoi'];

/**
 * Seeds a demo province: communes and residential areas with Vietnamese names, 10,000 generated
 * subscribers imported through the real CSV import, two approved templates and a segment. Seeding twice
 * changes nothing.
 */
export async function seedDemo(deps: Deps): Promise<{ areas: number; subscribers: number; segmentId?: string }> {
  if ((await deps.store.getAreas([PROVINCE])).length > 0) return { areas: 0, subscribers: 0 };
  const areas: AreaInput[] = [{ code: PROVINCE, name: 'Tỉnh Đồng Nai' }];
  for (const [code, name, residential] of COMMUNES) {
    areas.push({ code, name, parentCode: PROVINCE });
    residential.forEach((areaName, index) => areas.push({ code: `${code}-${index + 1}`, name: areaName, parentCode: code }));
  }
  await registerAreas(deps, APPROVER, areas);
  const leaves = areas.filter((area) => area.parentCode && area.parentCode !== PROVINCE).map((area) => area.code);

  const report = await importSubscribers(deps, APPROVER, demoCsv(leaves));

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
  return { areas: areas.length, subscribers: report.imported + report.updated, segmentId: segment.id };
}

async function approvedTemplate(deps: Deps, name: string, body: string, placeholders: { name: string; maxLength: number }[]) {
  const template = await createTemplate(deps, AUTHOR, { name, body, placeholders });
  await submitTemplate(deps, AUTHOR, template.id);
  await approveTemplate(deps, APPROVER, template.id);
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
