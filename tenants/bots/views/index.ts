import type { ViewId } from '../navigation.ts';
import { resultView, summaryView } from './confirm.ts';
import { languageView, locationsView, menuView } from './menu.ts';
import { daysView, timesView } from './schedule.ts';
import { mastersView, servicesView } from './services.ts';
import { bookingView, myBookingsView } from './my-bookings.ts';
import { scheduleView, visitView } from './master-schedule.ts';
import type { View } from './types.ts';

export const VIEWS: Record<ViewId, View> = {
  menu: menuView,
  language: languageView,
  locations: locationsView,
  services: servicesView,
  masters: mastersView,
  days: daysView,
  times: timesView,
  summary: summaryView,
  result: resultView,
  myBookings: myBookingsView,
  booking: bookingView,
  schedule: scheduleView,
  visit: visitView,
};
