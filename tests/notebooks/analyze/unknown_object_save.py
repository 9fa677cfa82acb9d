# %%
from tensorflow import keras

model = keras.Sequential()
model.compile(optimizer="adam", loss="mse")
model.save("model.keras")
