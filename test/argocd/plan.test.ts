import { autoscaledComponents } from "../../argocd/index";
import { fixtureEnv } from "./support/argo";

describe("autoscaledComponents", () => {
  test("prod's api and proxy autoscale; staging's fixed replicas do not", () => {
    expect(autoscaledComponents(fixtureEnv("prod").data.stacks.web)).toEqual(["api", "proxy"]);
    expect(autoscaledComponents(fixtureEnv("staging").data.stacks.web)).toEqual([]);
  });

  test("settings that are not a mapping have no autoscaled component", () => {
    expect(autoscaledComponents(undefined)).toEqual([]);
    expect(autoscaledComponents(["api"])).toEqual([]);
  });
});
