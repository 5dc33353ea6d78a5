/** The route being planned: stops in order, each a residential area and its minutes. */
export interface PlannedStop {
  areaCode: string;
  minutes: number;
}

export const DEFAULT_STOP_MINUTES = 10;

export function addStop(stops: readonly PlannedStop[], areaCode: string): PlannedStop[] {
  if (stops.some((stop) => stop.areaCode === areaCode)) return [...stops];
  return [...stops, { areaCode, minutes: DEFAULT_STOP_MINUTES }];
}

export function removeStop(stops: readonly PlannedStop[], index: number): PlannedStop[] {
  return stops.filter((_, position) => position !== index);
}

/** Moves the stop at `index` one place earlier (-1) or later (+1); at either end nothing moves. */
export function moveStop(stops: readonly PlannedStop[], index: number, by: -1 | 1): PlannedStop[] {
  const target = index + by;
  if (target < 0 || target >= stops.length) return [...stops];
  const moved = [...stops];
  [moved[index], moved[target]] = [moved[target]!, moved[index]!];
  return moved;
}

export function setMinutes(stops: readonly PlannedStop[], index: number, minutes: number): PlannedStop[] {
  return stops.map((stop, position) => (position === index ? { ...stop, minutes } : stop));
}
