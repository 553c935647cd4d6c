// Usage: nominate a candidate, read what may be done next, list the public roster.
import { ApiProblem, GuwenClient, explain, type Nomination } from "./client";

export async function example(baseUrl: string, departmentToken: string): Promise<void> {
  const department = new GuwenClient({ baseUrl, token: departmentToken });
  const nomination: Nomination = {
    channel: "department_recommendation",
    field: "port_trade",
    name: "王建国",
    employer: "内蒙古大学",
    title: "教授",
    birth_date: "1968-05-01",
    experience_years: 25,
    achievements: "口岸经济研究二十年",
    contact: { phone: "13800000000" },
  };
  try {
    const candidate = await department.nominate(nomination, crypto.randomUUID());
    for (const action of await department.allowedActions(candidate.id)) {
      console.log(`${action.action} (${action.article}): POST ${action.href}`);
    }
  } catch (e) {
    if (e instanceof ApiProblem) console.error(explain(e.problem));
    else throw e;
  }
  const roster = await new GuwenClient({ baseUrl }).wholePublicRoster();
  for (const advisor of roster) console.log(`${advisor.name}, ${advisor.title}, ${advisor.employer}`);
}
