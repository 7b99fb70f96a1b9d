import { describe, it, expect } from "vitest";
import { EmotionDriver } from "./EmotionDriver.js";

const FRAME = 1 / 60;

describe("emotion driver", () => {
  it("eases an emotion in and out instead of snapping", () => {
    const d = new EmotionDriver();
    d.update(FRAME, "happy", 1);
    expect(d.weights.happy).toBeGreaterThan(0);
    expect(d.weights.happy).toBeLessThan(0.2);
    for (let i = 0; i < 90; i++) d.update(FRAME, "happy", 1);
    expect(d.weights.happy).toBeGreaterThan(0.95);
    d.update(FRAME, "sad", 0.5);
    expect(d.weights.happy).toBeGreaterThan(0.8);
    for (let i = 0; i < 120; i++) d.update(FRAME, "sad", 0.5);
    expect(d.weights.happy).toBeLessThan(0.02);
    expect(d.weights.sad).toBeCloseTo(0.5, 1);
  });

  it("treats neutral as no expression", () => {
    const d = new EmotionDriver();
    for (let i = 0; i < 60; i++) d.update(FRAME, "neutral", 1);
    expect(Object.values(d.weights).every((w) => w === 0)).toBe(true);
    expect(d.mouthScale).toBe(1);
  });

  it("damps mouth shapes and blinks in proportion to its weight", () => {
    const d = new EmotionDriver();
    for (let i = 0; i < 120; i++) d.update(FRAME, "happy", 1);
    expect(d.mouthScale).toBeLessThan(0.75);
    expect(d.mouthScale).toBeGreaterThan(0.5);
    expect(d.eyeClosure).toBeGreaterThan(0.6);
    for (let i = 0; i < 120; i++) d.update(FRAME, "surprised", 1);
    expect(d.eyeClosure).toBeLessThan(0.05);
  });
});
