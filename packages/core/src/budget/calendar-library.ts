import { loadOnFirstUse } from '../load-on-first-use';

/** The date-fns functions periods and projections use, in a named time zone. */
export interface CalendarLibrary {
  TZDate: typeof import('@date-fns/tz').TZDate;
  addDays: typeof import('date-fns/addDays').addDays;
  addMonths: typeof import('date-fns/addMonths').addMonths;
  addWeeks: typeof import('date-fns/addWeeks').addWeeks;
  differenceInCalendarDays: typeof import('date-fns/differenceInCalendarDays').differenceInCalendarDays;
  format: typeof import('date-fns/format').format;
  startOfDay: typeof import('date-fns/startOfDay').startOfDay;
  startOfISOWeek: typeof import('date-fns/startOfISOWeek').startOfISOWeek;
  startOfMonth: typeof import('date-fns/startOfMonth').startOfMonth;
}

let library: CalendarLibrary | undefined;

/** date-fns and @date-fns/tz, loaded on first use. */
export function calendarLibrary(): CalendarLibrary {
  library ??= {
    TZDate: loadOnFirstUse<typeof import('@date-fns/tz')>('@date-fns/tz').TZDate,
    addDays: loadOnFirstUse<typeof import('date-fns/addDays')>('date-fns/addDays').addDays,
    addMonths: loadOnFirstUse<typeof import('date-fns/addMonths')>('date-fns/addMonths').addMonths,
    addWeeks: loadOnFirstUse<typeof import('date-fns/addWeeks')>('date-fns/addWeeks').addWeeks,
    differenceInCalendarDays: loadOnFirstUse<typeof import('date-fns/differenceInCalendarDays')>(
      'date-fns/differenceInCalendarDays',
    ).differenceInCalendarDays,
    format: loadOnFirstUse<typeof import('date-fns/format')>('date-fns/format').format,
    startOfDay: loadOnFirstUse<typeof import('date-fns/startOfDay')>('date-fns/startOfDay').startOfDay,
    startOfISOWeek:
      loadOnFirstUse<typeof import('date-fns/startOfISOWeek')>('date-fns/startOfISOWeek').startOfISOWeek,
    startOfMonth:
      loadOnFirstUse<typeof import('date-fns/startOfMonth')>('date-fns/startOfMonth').startOfMonth,
  };
  return library;
}
