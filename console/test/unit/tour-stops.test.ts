import { describe, expect, it } from 'vitest';
import { addStop, DEFAULT_STOP_MINUTES, moveStop, removeStop, setMinutes } from '../../src/pages/tours/tour-stops';

describe('the route being planned', () => {
  const route = [
    { areaCode: 'A', minutes: 5 },
    { areaCode: 'B', minutes: 10 },
    { areaCode: 'C', minutes: 15 },
  ];

  it('adds an area once, with the default minutes', () => {
    expect(addStop(route, 'D').at(-1)).toEqual({ areaCode: 'D', minutes: DEFAULT_STOP_MINUTES });
    expect(addStop(route, 'B')).toEqual(route);
  });

  it('moves a stop earlier or later, and nothing past either end', () => {
    expect(moveStop(route, 2, -1).map((stop) => stop.areaCode)).toEqual(['A', 'C', 'B']);
    expect(moveStop(route, 0, 1).map((stop) => stop.areaCode)).toEqual(['B', 'A', 'C']);
    expect(moveStop(route, 0, -1)).toEqual(route);
    expect(moveStop(route, 2, 1)).toEqual(route);
  });

  it('removes a stop and changes its minutes without touching the others', () => {
    expect(removeStop(route, 1).map((stop) => stop.areaCode)).toEqual(['A', 'C']);
    expect(setMinutes(route, 1, 25)).toEqual([route[0], { areaCode: 'B', minutes: 25 }, route[2]]);
    expect(route[1]!.minutes).toBe(10);
  });
});
