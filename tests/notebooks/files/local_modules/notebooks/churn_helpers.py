"""Helpers beside the notebook: one computes, one only draws."""

import matplotlib.pyplot as plt


def churn_rate(df):
    return float(df["churned"].mean())


def show_distribution(df):
    plt.figure(figsize=(4, 3))
    plt.hist(df["ratio"], bins=10)
    plt.title("ratio")
    plt.show()
