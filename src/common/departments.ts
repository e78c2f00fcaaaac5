// Department codes (部门代码) name departments in settings (orders' review departments, finance,
// the engineering department of special requirements) so that a deployment maps them to its own
// tree. The departments API stores codes in upper case (PMC) while settings and constants name them
// as typed (pmc): every comparison goes through here, on the server and in the web alike.

/** The form in which two department codes are compared. */
export const departmentCodeKey = (code: string): string => code.trim().toUpperCase();

/** Two department codes name the same department (case does not matter); a missing code never matches. */
export function sameDepartmentCode(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && departmentCodeKey(a) === departmentCodeKey(b);
}

/** The department among `departments` carrying `code`, if any. */
export function departmentWithCode<D extends { code: string | null }>(
  departments: readonly D[],
  code: string | null | undefined,
): D | undefined {
  return departments.find((d) => sameDepartmentCode(d.code, code));
}
