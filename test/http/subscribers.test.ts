import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, startTestApi, type TestApi } from './harness.js';

const csv = (lines: string[]) => lines.join('\n');

describe('areas, subscribers, opt-outs and segments over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const importCsv = (body: string, contentType = 'text/csv; charset=utf-8') =>
    api.as('operator').request('POST', '/v1/subscribers/import', { body, contentType });

  describe('areas', () => {
    it('registers a tree in one call, parents alongside children, with paths', async () => {
      const result = await api.as('operator').post('/v1/areas', {
        areas: [
          { code: 'DX-1', name: 'Khu phố Tân Bình', parentCode: 'DX' },
          { code: 'DNI', name: 'Tỉnh Đồng Nai' },
          { code: 'DX', name: 'Phường Đồng Xoài', parentCode: 'DNI' },
          { code: 'DX-2', name: 'Khu phố Phú Thanh', parentCode: 'DX' },
          { code: 'BP', name: 'Phường Bình Phước', parentCode: 'DNI' },
          { code: 'BP-1', name: 'Khu phố Phú Lạc', parentCode: 'BP' },
        ],
      });
      expect(result.status).toBe(201);
      expect(result.body.areas).toContainEqual({ code: 'DX-1', name: 'Khu phố Tân Bình', parentCode: 'DX', path: 'DNI/DX/DX-1' });
      expect(result.body.areas).toContainEqual({ code: 'DNI', name: 'Tỉnh Đồng Nai', path: 'DNI' });

      const listed = await api.as('viewer').get('/v1/areas');
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((area: { code: string }) => area.code).sort()).toEqual(['BP', 'BP-1', 'DNI', 'DX', 'DX-1', 'DX-2']);
    });

    it('renames an area, but moving one is a 409', async () => {
      const renamed = await api
        .as('operator')
        .post('/v1/areas', { areas: [{ code: 'DX-2', name: 'Khu phố Phú Thanh A', parentCode: 'DX' }] });
      expect(renamed.status).toBe(201);
      expect(renamed.body.areas[0]).toMatchObject({ code: 'DX-2', name: 'Khu phố Phú Thanh A' });

      const moved = await api.as('operator').post('/v1/areas', { areas: [{ code: 'DX-2', name: 'x', parentCode: 'BP' }] });
      expect(moved.status).toBe(409);
      expect(moved.body.detail).toMatch(/renamed, not moved/);
    });
  });

  describe('CSV import', () => {
    it('imports the good rows and reports each bad one with its line number and reason', async () => {
      const result = await importCsv(
        csv([
          'phone,area,tags,carrier',
          '0961000001,DX-1,cong-nhan;dan-cu,',
          '+84 91 100 0002,DX-1,dan-cu,',
          '12345,DX-1,,',
          '0901000003,NOWHERE,,',
          '0561000004,DX-2,tieu-thuong,',
          '+14155550100,DX-2,,',
          '0981000005,BP-1,,VinaPhone',
          '',
        ]),
      );
      expect(result.status).toBe(200);
      expect(result.body.imported).toBe(4);
      expect(result.body.updated).toBe(0);
      expect(result.body.refused).toEqual([
        { line: 4, reason: expect.stringContaining('12345') },
        { line: 5, reason: expect.stringContaining('NOWHERE') },
        { line: 7, reason: expect.stringContaining('+1') },
      ]);

      const ported = await api.as('integration').post('/v1/subscribers/lookup', { phone: '0981000005' });
      expect(ported.status).toBe(200);
      expect(ported.body).toMatchObject({
        phone: '+84981000005',
        areaCode: 'BP-1',
        areaPath: 'DNI/BP/BP-1',
        carrier: 'vinaphone',
        carrierSource: 'explicit',
        optedOut: false,
      });
      const guessed = await api.as('viewer').post('/v1/subscribers/lookup', { phone: '+84961000001' });
      expect(guessed.body).toMatchObject({ carrier: 'viettel', carrierSource: 'prefix', tags: ['cong-nhan', 'dan-cu'] });
    });

    it('upserts on re-import: the same numbers are updated, not duplicated', async () => {
      const result = await importCsv(csv(['phone,area,tags', '0961000001,DX-2,hoc-sinh', '0911000002,DX-1,dan-cu', '0391000006,DX-2,']));
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ imported: 1, updated: 2, refusedCount: 0, refused: [] });
      const moved = await api.as('operator').post('/v1/subscribers/lookup', { phone: '0961000001' });
      expect(moved.body).toMatchObject({ areaCode: 'DX-2', tags: ['hoc-sinh'] });
    });

    it('takes a large file streamed over HTTP', async () => {
      const rows = Array.from({ length: 5_000 }, (_, index) => `+8497${String(2_000_000 + index)},BP-1,lon`);
      const result = await importCsv(csv(['phone,area,tags', ...rows]));
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ imported: 5_000, updated: 0, refusedCount: 0, refused: [] });
    });

    it('says 404 for a number that is not a subscriber, or not a number', async () => {
      expect((await api.as('viewer').post('/v1/subscribers/lookup', { phone: '0999999999' })).status).toBe(404);
      expect((await api.as('viewer').post('/v1/subscribers/lookup', { phone: 'hello' })).status).toBe(404);
    });
  });

  describe('opt-outs', () => {
    it('adds, lists, flags the subscriber, and removes', async () => {
      const operator = api.as('operator');
      const added = await api.as('integration').post('/v1/opt-outs', { phone: '0961 000 001', source: 'sms-reply' });
      expect(added.status).toBe(201);
      expect(added.body).toEqual({ phone: '+84961000001', source: 'sms-reply', by: 'hotline-1022', at: expect.any(String) });

      const again = await operator.post('/v1/opt-outs', { phone: '+84961000001', source: 'hotline-1022' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(added.body);

      const listed = await operator.get('/v1/opt-outs');
      expect(listed.body.items).toEqual([added.body]);
      // Viewers do not act on opt-outs: they see the number masked.
      expect((await api.as('viewer').get('/v1/opt-outs')).body.items).toEqual([{ ...added.body, phone: '+8496****001' }]);
      expect((await operator.post('/v1/subscribers/lookup', { phone: '0961000001' })).body.optedOut).toBe(true);

      expect((await operator.post('/v1/opt-outs/remove', { phone: '0961000001' })).status).toBe(204);
      expect((await operator.post('/v1/opt-outs/remove', { phone: '+84961000001' })).status).toBe(404);
      expect((await operator.get('/v1/opt-outs')).body.items).toEqual([]);
      expect((await operator.post('/v1/subscribers/lookup', { phone: '0961000001' })).body.optedOut).toBe(false);
    });
  });

  describe('segments', () => {
    it('counts who a segment reaches now, by carrier and area, without opted-out numbers', async () => {
      const author = api.as('author');
      const optedOut = await api.as('operator').post('/v1/opt-outs', { phone: '0391000006', source: 'hotline-1022' });
      expect(optedOut.status).toBe(201);

      const dongXoai = await author.post('/v1/segments', { name: 'Đồng Xoài', filter: { areas: ['DX'], tags: [], carriers: [] } });
      expect(dongXoai.status).toBe(201);
      // DX-1: 0911000002; DX-2: 0961000001, 0561000004 (0391000006 opted out).
      expect(dongXoai.body).toMatchObject({ name: 'Đồng Xoài', createdBy: 'lan', filter: { areas: ['DX'], tags: [], carriers: [] } });
      expect(dongXoai.body.counts).toEqual({
        total: 3,
        byCarrier: { vinaphone: 1, viettel: 1, vietnamobile: 1 },
        byArea: { 'DX-1': 1, 'DX-2': 2 },
      });

      const byTag = await api.as('operator').post('/v1/segments', {
        name: 'Tiểu thương',
        filter: { areas: [], tags: ['tieu-thuong', 'lon'], carriers: ['vietnamobile', 'viettel'] },
      });
      expect(byTag.status).toBe(201);
      expect(byTag.body.counts.total).toBe(5_001);

      const read = await api.as('viewer').get(`/v1/segments/${dongXoai.body.id}`);
      expect(read.body).toEqual(dongXoai.body);

      expect((await api.as('operator').post('/v1/opt-outs/remove', { phone: '0391000006' })).status).toBe(204);
      expect((await api.as('viewer').get(`/v1/segments/${dongXoai.body.id}`)).body.counts.total).toBe(4);
    });
  });

  it('pages opt-outs with cursors', async () => {
    const phones = Array.from({ length: 7 }, (_, index) => `+8496100${String(1000 + index)}`);
    for (const phone of phones) expect((await api.as('operator').post('/v1/opt-outs', { phone, source: 'test' })).status).toBe(201);
    const { items, pages } = await allPages(api.as('operator'), '/v1/opt-outs', 3);
    expect(pages).toBe(3);
    expect(items.map((item) => item.phone)).toEqual(phones);
  });
});
