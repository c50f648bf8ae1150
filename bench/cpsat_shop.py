"""CP-SAT on a shop from bench/jobshop.ts, for comparison only (the product never needs it).

Reads one shop as JSON on stdin: operations (machine, duration, release, optional due and weight),
arcs (start(to) >= start(from) + delay), optional families and gap[machine][from][to] (slots
between neighbours on a machine), objective ("makespan" or "tardiness"), horizon, seconds, workers.
Prints {"value", "bound", "status", "seconds"} as JSON: a plain interval model, NoOverlap per
machine, and with gaps a circuit per machine so that only neighbours pay them.
"""

import json
import sys
import time

from ortools.sat.python import cp_model


def machine_circuit(model, ops, starts, ends, gap, families):
    """Sequence-dependent gaps: a Hamiltonian path over the machine's operations (node 0 = depot)."""
    arcs = []
    for i, a in enumerate(ops):
        arcs.append((0, i + 1, model.NewBoolVar("")))
        arcs.append((i + 1, 0, model.NewBoolVar("")))
        for j, b in enumerate(ops):
            if a == b:
                continue
            lit = model.NewBoolVar("")
            arcs.append((i + 1, j + 1, lit))
            model.Add(starts[b] >= ends[a] + gap[families[a]][families[b]]).OnlyEnforceIf(lit)
    model.AddCircuit(arcs)


def solve(shop):
    model = cp_model.CpModel()
    horizon = shop["horizon"]
    ops = shop["operations"]
    starts, ends, intervals = [], [], []
    for op in ops:
        s = model.NewIntVar(op["release"], horizon, "")
        e = model.NewIntVar(0, horizon + op["duration"], "")
        intervals.append(model.NewIntervalVar(s, op["duration"], e, ""))
        starts.append(s)
        ends.append(e)
    for arc in shop["arcs"]:
        model.Add(starts[arc["to"]] >= starts[arc["from"]] + arc["delay"])
    gap = shop.get("gap")
    for m in range(shop["machineCount"]):
        on = [v for v, op in enumerate(ops) if op["machine"] == m]
        model.AddNoOverlap([intervals[v] for v in on])
        if gap and len(on) > 1:
            machine_circuit(model, on, starts, ends, gap[m], shop["families"])
    makespan = model.NewIntVar(0, 2 * horizon, "")
    model.AddMaxEquality(makespan, ends)
    if shop["objective"] == "makespan":
        model.Minimize(makespan)
    else:
        late = []
        for v, op in enumerate(ops):
            if "due" in op:
                t = model.NewIntVar(0, 2 * horizon, "")
                model.Add(t >= ends[v] - op["due"])
                late.append(op.get("weight", 1) * t)
        model.Minimize(sum(late))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = shop["seconds"]
    solver.parameters.num_workers = shop.get("workers", 1)
    t0 = time.perf_counter()
    status = solver.Solve(model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return {
        "value": round(solver.ObjectiveValue()) if found else None,
        "bound": round(solver.BestObjectiveBound()) if found else None,
        "status": solver.StatusName(status).lower(),
        "seconds": time.perf_counter() - t0,
    }


if __name__ == "__main__":
    print(json.dumps(solve(json.load(sys.stdin))))
