import type { ReactNode } from 'react';
import type { Role } from '../auth/user';

/** A page of one part of the console, and who may open it (every staff role if absent). */
export interface AreaRoute {
  path: string;
  element: ReactNode;
  roles?: readonly Role[];
}
