import type { AdminRoute } from '../request.ts';
import { accountRoutes, type HomeSection } from './account.tsx';
import { AUTH_ROUTES } from './auth.tsx';
import { STAFF_ROUTES } from './staff.tsx';
import { SCHEDULE_ROUTES } from './schedule.tsx';
import { PLATFORM_ROUTES, platformHomeSection } from './platform.tsx';
import { SETUP_ROUTES, setupChecklist } from './setup.tsx';
import { SIGNUP_ROUTES } from './signup.tsx';
import { BOT_ROUTES } from './bot.tsx';
import { SERVICE_ROUTES } from './services.tsx';
import { MASTER_ROUTES } from './masters.tsx';
import { HOURS_ROUTES } from './hours.tsx';
import { BOOKING_ROUTES } from './bookings.tsx';
import { NEW_BOOKING_ROUTES } from './new-booking.tsx';
import { CALENDAR_ROUTES } from './calendar.tsx';
import { LOCATION_ROUTES } from './locations.tsx';
import { ANALYTICS_ROUTES } from './analytics.tsx';

/** What the home page shows besides the greeting, in this order. */
export const HOME_SECTIONS: readonly HomeSection[] = [setupChecklist, platformHomeSection];

/** Every admin route, with who may open it: edge mounts these under /admin; the security tests walk them. */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  ...AUTH_ROUTES,
  ...SIGNUP_ROUTES,
  ...SETUP_ROUTES,
  ...accountRoutes(HOME_SECTIONS),
  ...STAFF_ROUTES,
  ...CALENDAR_ROUTES,
  // Before the bookings' `/bookings/:id`.
  ...NEW_BOOKING_ROUTES,
  ...BOOKING_ROUTES,
  ...ANALYTICS_ROUTES,
  ...LOCATION_ROUTES,
  ...SERVICE_ROUTES,
  ...MASTER_ROUTES,
  ...HOURS_ROUTES,
  ...BOT_ROUTES,
  ...SCHEDULE_ROUTES,
  ...PLATFORM_ROUTES,
];
