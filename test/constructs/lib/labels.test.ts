import { Chart, Testing } from "cdk8s";
import { Construct } from "constructs";
import { componentLabels, LABEL, selectorLabels, stackLabels } from "../../../constructs/lib/labels";
import { testChart } from "../../support/chart";

describe("labels", () => {
  test("the label keys are the app.kubernetes.io recommended labels", () => {
    expect(LABEL).toEqual({
      name: "app.kubernetes.io/name",
      instance: "app.kubernetes.io/instance",
      component: "app.kubernetes.io/component",
      partOf: "app.kubernetes.io/part-of",
      version: "app.kubernetes.io/version",
      managedBy: "app.kubernetes.io/managed-by",
    });
  });

  test("a stack's chart labels every object with the stack as part-of and instance, managed by slipway", () => {
    expect(stackLabels("web")).toEqual({
      "app.kubernetes.io/part-of": "web",
      "app.kubernetes.io/instance": "web",
      "app.kubernetes.io/managed-by": "slipway",
    });
  });

  test("pods are selected by component name and the chart's stack instance", () => {
    const scope = new Construct(testChart(), "api");
    expect(selectorLabels(scope, "api")).toEqual({ "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "web" });
  });

  test("in a chart without an instance label, pods are selected by component name alone", () => {
    const scope = new Construct(new Chart(Testing.app(), "bare"), "api");
    expect(selectorLabels(scope, "api")).toEqual({ "app.kubernetes.io/name": "api" });
  });

  test("a component's labels carry its name, role and version", () => {
    expect(componentLabels("database-backup", "backup", "16.4")).toEqual({
      "app.kubernetes.io/name": "database-backup",
      "app.kubernetes.io/component": "backup",
      "app.kubernetes.io/version": "16.4",
    });
  });

  test("a component without a version has no version label", () => {
    expect(componentLabels("api", "api")).toEqual({ "app.kubernetes.io/name": "api", "app.kubernetes.io/component": "api" });
  });
});
