"""The Playground: TensorFlow Playground's experiment on the NumPy engine (core/scratch), step by step.

Entry points: `Setup` (every control, and its URL form; setup.py), `make_data` (the points; data.py),
`Playground` (a network trained an epoch at a time, with what the page draws; session.py), the logic-gate
exercises (gates.py), the challenges (challenges.py), the many-seeds study (convergence.py) and
`send_to_runs` (the same network as a normal run; send.py).
"""
